// Service Bus namespace and the work queues (one per name in shared/ports.ts QUEUE_NAMES).
// Why each queue property has its value: DEPLOY.md, "Service Bus queues".

param name string
param location string
param tags object
@description('The queue names of shared/ports.ts QUEUE_NAMES.')
param queueNames array
@description('ISO 8601 duration: how long Service Bus remembers a messageId to drop a repeat.')
param duplicateDetectionWindow string
@description('Deliveries before a message goes to <queue>/$deadletterqueue.')
param maxDeliveryCount int
@description('E-mail address that receives the dead-letter alert; empty = alert shows in the portal only.')
param alertEmail string = ''

resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: name
  location: location
  tags: tags
  // Standard: sessions and duplicate detection need Standard or Premium; Basic has neither.
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    // Identity only: the app connects with SERVICEBUS_CONNECTION__fullyQualifiedNamespace.
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

resource queues 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' = [
  for queueName in queueNames: {
    parent: namespace
    name: queueName
    properties: {
      // One session per account: one writer per account at a time (DESIGN.md 9.7).
      requiresSession: true
      requiresDuplicateDetection: true
      duplicateDetectionHistoryTimeWindow: duplicateDetectionWindow
      maxDeliveryCount: maxDeliveryCount
      // Short lock + auto-renewal by the host: a crashed instance frees its session within a minute.
      lockDuration: 'PT1M'
      // Messages are hints; one that waited a week is stale, but it goes to the DLQ, never silently away.
      defaultMessageTimeToLive: 'P7D'
      deadLetteringOnMessageExpiration: true
      enableBatchedOperations: true
      enablePartitioning: false
      maxSizeInMegabytes: 1024
    }
  }
]

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmail)) {
  name: 'ag-${name}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'syncdlq'
    enabled: true
    emailReceivers: [
      {
        name: 'operator'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

var alertActions = empty(alertEmail) ? [] : [
  {
    actionGroupId: actionGroup.id
  }
]

// Any dead-lettered message needs a person: see DEPLOY.md, "Dead letters".
resource deadLetterAlert 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: 'alert-deadletters-${name}'
  location: 'global'
  tags: tags
  properties: {
    description: 'A sync queue holds dead-lettered messages (see DEPLOY.md, Dead letters).'
    severity: 2
    enabled: true
    scopes: [
      namespace.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'deadLetteredMessages'
          metricNamespace: 'Microsoft.ServiceBus/namespaces'
          metricName: 'DeadletteredMessages'
          dimensions: [
            {
              name: 'EntityName'
              operator: 'Include'
              values: [
                '*'
              ]
            }
          ]
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Maximum'
        }
      ]
    }
    actions: alertActions
  }
}

output name string = namespace.name
output id string = namespace.id
// Host name only (no scheme, no port), as SERVICEBUS_CONNECTION__fullyQualifiedNamespace wants it.
output fullyQualifiedNamespace string = split(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':')[0]
