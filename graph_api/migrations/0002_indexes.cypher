// Lookups the repositories do: lists per tenant, the audit feed per account, keys per tenant.
CREATE INDEX account_tenant_name IF NOT EXISTS FOR (n:Account) ON (n.tenantId, n.name);
CREATE INDEX stakeholder_tenant IF NOT EXISTS FOR (n:Stakeholder) ON (n.tenantId);
CREATE INDEX opportunity_tenant IF NOT EXISTS FOR (n:Opportunity) ON (n.tenantId);
CREATE INDEX concern_tenant IF NOT EXISTS FOR (n:Concern) ON (n.tenantId);
CREATE INDEX argument_tenant IF NOT EXISTS FOR (n:Argument) ON (n.tenantId);
CREATE INDEX change_account_at IF NOT EXISTS FOR (n:Change) ON (n.tenantId, n.accountId, n.at);
CREATE INDEX change_entity_at IF NOT EXISTS FOR (n:Change) ON (n.tenantId, n.entityId, n.at);
CREATE INDEX api_key_tenant IF NOT EXISTS FOR (n:ApiKey) ON (n.tenantId);
