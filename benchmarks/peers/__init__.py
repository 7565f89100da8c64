"""Issue 10's side-by-side benchmark: this API, @neo4j/graphql 7 and a raw-driver floor."""
