// Key Vault (RBAC) with the secrets the app reads through @Microsoft.KeyVault(SecretUri=...) references.
// A secret parameter left empty creates no secret version: put the value in with
// `az keyvault secret set` (DEPLOY.md), so secrets need not pass through deployment parameters.

param name string
param location string
param tags object
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
