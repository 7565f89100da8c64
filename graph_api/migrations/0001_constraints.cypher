// Uniqueness of the opaque id (global) and of (tenantId, externalId) per label.
CREATE CONSTRAINT account_id IF NOT EXISTS FOR (n:Account) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT account_external IF NOT EXISTS FOR (n:Account) REQUIRE (n.tenantId, n.externalId) IS UNIQUE;
CREATE CONSTRAINT stakeholder_id IF NOT EXISTS FOR (n:Stakeholder) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT stakeholder_external IF NOT EXISTS FOR (n:Stakeholder) REQUIRE (n.tenantId, n.externalId) IS UNIQUE;
CREATE CONSTRAINT opportunity_id IF NOT EXISTS FOR (n:Opportunity) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT opportunity_external IF NOT EXISTS FOR (n:Opportunity) REQUIRE (n.tenantId, n.externalId) IS UNIQUE;
CREATE CONSTRAINT alternative_id IF NOT EXISTS FOR (n:Alternative) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT alternative_external IF NOT EXISTS FOR (n:Alternative) REQUIRE (n.tenantId, n.externalId) IS UNIQUE;
CREATE CONSTRAINT concern_id IF NOT EXISTS FOR (n:Concern) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT concern_external IF NOT EXISTS FOR (n:Concern) REQUIRE (n.tenantId, n.externalId) IS UNIQUE;
CREATE CONSTRAINT argument_id IF NOT EXISTS FOR (n:Argument) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT argument_external IF NOT EXISTS FOR (n:Argument) REQUIRE (n.tenantId, n.externalId) IS UNIQUE;
CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (n:ApiKey) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT api_key_hash IF NOT EXISTS FOR (n:ApiKey) REQUIRE n.hash IS UNIQUE;
CREATE CONSTRAINT change_id IF NOT EXISTS FOR (n:Change) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT migration_version IF NOT EXISTS FOR (n:SchemaMigration) REQUIRE n.version IS UNIQUE;
