// The Azure deployment of the contact sync: a Flex Consumption function app (Linux, Node 20) with a
// system-assigned identity, Service Bus session queues, Table Storage, Key Vault and Application
// Insights. DEPLOY.md explains every choice; test/consistency/ checks this file against the code
// (every setting of shared/config.ts SETTINGS, QUEUE_NAMES, TABLE_NAMES, functions/definitions.ts).
targetScope = 'resourceGroup'

@minLength(1)
@maxLength(64)
@description('Environment name (azd: AZURE_ENV_NAME); makes the resource names unique.')
param environmentName string

@description('Region of every resource. It must offer the Flex Consumption plan.')
param location string = resourceGroup().location

@description('Object id of the deploying user (azd: AZURE_PRINCIPAL_ID); gets Key Vault Secrets Officer.')
param principalId string = ''

@description('Entra tenant id of the app registration (GRAPH_TENANT_ID).')
param graphTenantId string

@description('Application (client) id of the app registration (GRAPH_CLIENT_ID).')
param graphClientId string

@description('Application (client) id of the app registration exposing the API, when not the Graph app (API_CLIENT_ID); empty = graphClientId.')
param apiClientId string = ''

@description('Tenant ids (comma-separated) whose accounts the service caller (Sync.Admin) manages (AUTH_SERVICE_TENANTS).')
param serviceTenants string = ''

@description('Base URL of the CRM API, routes under /crm/v1 (CRM_BASE_URL).')
param crmBaseUrl string

@description('Public base URL when a custom domain or gateway fronts the app; empty = https://<default host name>.')
param publicBaseUrl string = ''

@secure()
@description('Optional: written to Key Vault as graph-client-secret. Leave empty and use az keyvault secret set.')
param graphClientSecret string = ''

@secure()
@description('Optional: written to Key Vault as crm-token.')
param crmToken string = ''

@secure()
@description('Optional: written to Key Vault as crm-webhook-secret.')
param crmWebhookSecret string = ''

@allowed([
  '20'
  '22'
])
@description('Node.js major version of the Functions worker.')
param nodeVersion string = '20'

@description('Upper bound of instances the app scales out to (Flex Consumption).')
param maximumInstanceCount int = 40

@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Instances kept warm for the HTTP functions, so Graph gets its answer within 3 s even after idle.')
param alwaysReadyHttpInstances int = 1

@description('Service Bus duplicate detection window: Graph retries a notification for up to 4 hours.')
param duplicateDetectionWindow string = 'PT4H10M'

@description('Deliveries of a message before it is dead-lettered (the local stack also gives up after 5).')
param maxDeliveryCount int = 5

@description('E-mail address for the dead-letter alert; empty = the alert shows in the portal only.')
param alertEmail string = ''

@description('NCRONTAB schedule of the reconcile sweep (RECONCILE_SCHEDULE).')
param reconcileSchedule string = '0 */15 * * * *'

@description('NCRONTAB schedule of the Graph subscription renewal (SUBSCRIPTION_RENEWAL_SCHEDULE).')
param subscriptionRenewalSchedule string = '0 0 */6 * * *'

@description('NCRONTAB schedule of the V2 deadline enforcement (MIGRATION_CUTOFF_SCHEDULE).')
param migrationCutoffSchedule string = '0 */10 * * * *'

@description('Days the action log keeps an entry (LOG_RETENTION_DAYS).')
param logRetentionDays string = '180'

@description('NCRONTAB schedule of the action-log retention (LOG_RETENTION_SCHEDULE).')
param logRetentionSchedule string = '0 30 2 * * *'

@description('NCRONTAB schedule of the on-premises (EWS) polling timer (EWS_POLL_SCHEDULE).')
param ewsPollSchedule string = '*/30 * * * * *'

@description('Seconds between two polls of one on-premises (EWS) account (EWS_POLL_INTERVAL_SECONDS).')
param ewsPollIntervalSeconds string = '120'

@description('Share of an account\'s contacts one delta round may delete before it is held (MASS_DELETE_SHARE).')
param massDeleteShare string = '0.5'

@description('Deletes in one round from which the mass-delete guard applies (MASS_DELETE_MIN).')
param massDeleteMin string = '10'

@description('Hours over which deletes add up for the mass-delete guard (MASS_DELETE_WINDOW_HOURS).')
param massDeleteWindowHours string = '24'

var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = {
  'azd-env-name': environmentName
}
var functionAppName = 'func-sync-${resourceToken}'
var deploymentContainerName = 'app-package'

// Must equal QUEUE_NAMES in shared/ports.ts (checked by test/consistency/).
var queueNames = [
  'exchange-to-crm'
  'crm-events'
  'crm-to-exchange'
  'mail'
]

// Must equal the values of TABLE_NAMES in shared/adapters/tables/table-names.ts (checked by test/consistency/).
var tableNames = [
  'links'
  'accounts'
  'actionlog'
  'leases'
  'websessions'
  'audit'
  'mail'
  'tenants'
]

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    tableNames: tableNames
    deploymentContainerName: deploymentContainerName
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  params: {
    name: 'sb-${resourceToken}'
    location: location
    tags: tags
    queueNames: queueNames
    duplicateDetectionWindow: duplicateDetectionWindow
    maxDeliveryCount: maxDeliveryCount
    alertEmail: alertEmail
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: 'kv-${resourceToken}'
    location: location
    tags: tags
    graphClientSecret: graphClientSecret
    crmToken: crmToken
    crmWebhookSecret: crmWebhookSecret
  }
}

// The on-premises accounts' passwords (issue 18): a vault of their own, so the app may write
// and delete there (Key Vault Secrets Officer) and stays read-only on the configuration vault.
// Soft delete without purge protection: removing an account deletes and purges its secret.
module accountVault 'modules/keyvault.bicep' = {
  name: 'account-keyvault'
  params: {
    name: 'kvacct-${resourceToken}'
    location: location
    tags: tags
  }
}

// The always-ready group `http` covers every HTTP function (Flex Consumption per-function scaling).
var alwaysReady = alwaysReadyHttpInstances > 0 ? [
  {
    name: 'http'
    instanceCount: alwaysReadyHttpInstances
  }
] : []

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${resourceToken}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  tags: union(tags, {
    'azd-service-name': 'api'
  })
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.outputs.blobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'SystemAssignedIdentity'
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        alwaysReady: alwaysReady
      }
      // Flex Consumption takes the worker runtime here, not as FUNCTIONS_WORKER_RUNTIME /
      // FUNCTIONS_EXTENSION_VERSION app settings (it rejects those; the host is always 4.x).
      runtime: {
        name: 'node'
        version: nodeVersion
      }
    }
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    appPrincipalId: functionApp.identity.principalId
    deployerPrincipalId: principalId
    storageAccountName: storage.outputs.name
    serviceBusNamespaceName: serviceBus.outputs.name
    keyVaultName: keyVault.outputs.name
    accountVaultName: accountVault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
}

var appBaseUrl = empty(publicBaseUrl) ? 'https://${functionApp.properties.defaultHostName}' : publicBaseUrl
// Versionless secret URIs: the app always reads the latest version (rotation: DEPLOY.md).
var secretsUri = '${keyVault.outputs.vaultUri}secrets/'

var appSettings = {
  // ---- the Functions host
  AzureWebJobsStorage__accountName: storage.outputs.name
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD'
  // ---- shared/config.ts SETTINGS, every one of them
  // The table service URL: Entra ID through the app's managed identity (shared keys are off).
  STORAGE_CONNECTION: storage.outputs.tableEndpoint
  QUEUE_TRANSPORT: 'servicebus'
  // Also the queue triggers' connection `SERVICEBUS_CONNECTION` (identity-based).
  SERVICEBUS_CONNECTION__fullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
  GRAPH_BASE_URL: 'https://graph.microsoft.com'
  GRAPH_AUTHORITY_HOST: 'https://login.microsoftonline.com'
  GRAPH_TENANT_ID: graphTenantId
  GRAPH_CLIENT_ID: graphClientId
  GRAPH_CLIENT_SECRET: '@Microsoft.KeyVault(SecretUri=${secretsUri}graph-client-secret/)'
  GRAPH_REQUESTS_PER_WINDOW: '10000'
  GRAPH_WINDOW_MS: '600000'
  GRAPH_APP_CONCURRENCY: '4'
  GRAPH_SUBSCRIPTION_MAX_MINUTES: '10080'
  CRM_BASE_URL: crmBaseUrl
  CRM_TOKEN: '@Microsoft.KeyVault(SecretUri=${secretsUri}crm-token/)'
  CRM_WEBHOOK_SECRET: '@Microsoft.KeyVault(SecretUri=${secretsUri}crm-webhook-secret/)'
  // Empty except during a secret rotation (DEPLOY.md): then the Key Vault reference of the old secret.
  CRM_WEBHOOK_SECRET_PREVIOUS: ''
  API_CLIENT_ID: apiClientId
  API_APP_ID_URI: ''
  AUTH_SERVICE_TENANTS: serviceTenants
  PUBLIC_BASE_URL: appBaseUrl
  WEB_CLIENT_ID: ''
  WEB_SIGN_IN_TENANT: 'organizations'
  APP_DISPLAY_NAME: 'FLOWFACT'
  LEGACY_APP_DISPLAY_NAME: 'FLOWFACT (Nylas)'
  MIGRATION_DEADLINE: '2025-07-18T22:00:00Z'
  MIGRATION_SHUTDOWN: '2025-07-31T22:00:00Z'
  // Empty in production: the clock is the real clock.
  SYNC_CLOCK_START: ''
  MASS_DELETE_SHARE: massDeleteShare
  MASS_DELETE_MIN: massDeleteMin
  MASS_DELETE_WINDOW_HOURS: massDeleteWindowHours
  RECONCILE_SCHEDULE: reconcileSchedule
  SUBSCRIPTION_RENEWAL_SCHEDULE: subscriptionRenewalSchedule
  MIGRATION_CUTOFF_SCHEDULE: migrationCutoffSchedule
  LOG_RETENTION_DAYS: logRetentionDays
  LOG_RETENTION_SCHEDULE: logRetentionSchedule
  EWS_POLL_SCHEDULE: ewsPollSchedule
  EWS_POLL_INTERVAL_SECONDS: ewsPollIntervalSeconds
  // On-premises accounts' passwords: Key Vault in Azure; the local key stays unset.
  SECRETS_VAULT_URL: accountVault.outputs.vaultUri
  SECRETS_KEY: ''
}

// A separate resource so the identity's role assignments exist before the Key Vault references
// and the identity-based connections are first resolved.
resource functionAppSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: appSettings
  dependsOn: [
    roles
  ]
}

output AZURE_LOCATION string = location
output RESOURCE_GROUP string = resourceGroup().name
output FUNCTION_APP_NAME string = functionApp.name
output KEY_VAULT_NAME string = keyVault.outputs.name
output ACCOUNT_KEY_VAULT_NAME string = accountVault.outputs.name
output SERVICEBUS_NAMESPACE string = serviceBus.outputs.name
output STORAGE_ACCOUNT_NAME string = storage.outputs.name
output PUBLIC_BASE_URL string = appBaseUrl
// The webhook URLs. The app registers the Graph ones itself (subscriptions); the CRM one you register.
output GRAPH_NOTIFICATION_URL string = '${appBaseUrl}/api/graph/notifications'
output GRAPH_LIFECYCLE_URL string = '${appBaseUrl}/api/graph/lifecycle'
output CRM_WEBHOOK_URL string = '${appBaseUrl}/api/crm/events'
