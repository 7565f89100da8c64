"""The compiled read path: map reads answered by one Cypher statement, shaped and encoded
without GraphQL's field-by-field execution (see :mod:`graph_api.api.compiled.lane`)."""
