// One settings node per tenant.
CREATE CONSTRAINT tenant_settings_tenant IF NOT EXISTS FOR (n:TenantSettings) REQUIRE n.tenantId IS UNIQUE;
