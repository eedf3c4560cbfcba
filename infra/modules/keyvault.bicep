// Key Vault (RBAC) with the secrets the app reads through @Microsoft.KeyVault(SecretUri=...) references.
// A secret parameter left empty creates no secret version: put the value in with
// `az keyvault secret set` (DEPLOY.md), so secrets need not pass through deployment parameters.

param name string
param location string
param tags object
@description('Storage account whose connection string becomes the storage-connection secret.')
param storageAccountName string
@secure()
param graphClientSecret string = ''
@secure()
param crmToken string = ''
@secure()
param crmWebhookSecret string = ''

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    publicNetworkAccess: 'Enabled'
  }
}

resource storageAccount 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

// Known gap (DEPLOY.md): the table adapter takes a connection string, so it lives here, not in settings.
resource storageConnection 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'storage-connection'
  properties: {
    value: 'DefaultEndpointsProtocol=https;AccountName=${storageAccount.name};AccountKey=${storageAccount.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'
  }
}

resource graphClientSecretValue 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(graphClientSecret)) {
  parent: vault
  name: 'graph-client-secret'
  properties: {
    value: graphClientSecret
  }
}

resource crmTokenValue 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(crmToken)) {
  parent: vault
  name: 'crm-token'
  properties: {
    value: crmToken
  }
}

resource crmWebhookSecretValue 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(crmWebhookSecret)) {
  parent: vault
  name: 'crm-webhook-secret'
  properties: {
    value: crmWebhookSecret
  }
}

output name string = vault.name
output id string = vault.id
// e.g. https://kv-abc.vault.azure.net/ ; secret URIs are '${vaultUri}secrets/<name>/' (versionless).
output vaultUri string = vault.properties.vaultUri
