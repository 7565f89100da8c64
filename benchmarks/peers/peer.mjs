// The benchmark's peer: @neo4j/graphql 7 on graphql-yoga, one Node process.
//
// It serves the type definitions in typedefs.graphql over the same Neo4j as Flagbearer, with
// the tenant taken from a verified HS256 JWT (claim `tenant`): every node type is filtered on
// `tenantId = $jwt.tenant` by the library's @authorization directive.
//
//   NEO4J_URI=bolt://127.0.0.1:7761 NEO4J_PASSWORD=… PEER_JWT_SECRET=… PEER_PORT=4000 node peer.mjs
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

import { Neo4jGraphQL } from "@neo4j/graphql";
import { createYoga } from "graphql-yoga";
import neo4j from "neo4j-driver";

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`peer: ${name} is required`);
    process.exit(2);
  }
  return value;
}

const port = Number(required("PEER_PORT"));
const driver = neo4j.driver(
  required("NEO4J_URI"),
  neo4j.auth.basic(process.env.NEO4J_USER ?? "neo4j", required("NEO4J_PASSWORD")),
);
const typeDefs = readFileSync(new URL("./typedefs.graphql", import.meta.url), "utf8");
const library = new Neo4jGraphQL({
  typeDefs,
  driver,
  features: { authorization: { key: required("PEER_JWT_SECRET") } },
});
const schema = await library.getSchema();

const yoga = createYoga({
  schema,
  // The library verifies the bearer token itself and exposes its claims as $jwt.
  context: ({ request }) => ({ token: request.headers.get("authorization") ?? undefined }),
  graphqlEndpoint: "/graphql",
  graphiql: false,
  landingPage: false,
  logging: false,
  maskedErrors: false,
});

const server = createServer(yoga);
server.listen(port, "127.0.0.1", () => {
  console.log(`peer: @neo4j/graphql on http://127.0.0.1:${port}/graphql`);
});

function shutdown() {
  server.close(() => driver.close().then(() => process.exit(0)));
  setTimeout(() => process.exit(0), 5000).unref();
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
