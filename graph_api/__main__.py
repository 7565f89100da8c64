from graph_api.cli import main

main()
