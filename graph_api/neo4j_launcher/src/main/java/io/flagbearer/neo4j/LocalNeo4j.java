package io.flagbearer.neo4j;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

/**
 * The local, loopback-only Neo4j that graph-api supervises: an embedded DBMS with Bolt on
 * 127.0.0.1, auth on, and the {@code neo4j} user's password set from the command line.
 *
 * <p>Prints {@code READY bolt://127.0.0.1:PORT} once the driver can log in, then blocks until
 * SIGTERM, when a shutdown hook closes the DBMS cleanly.
 *
 * <p>Example: {@code java -cp ... io.flagbearer.neo4j.LocalNeo4j --home .data/neo4j
 * --bolt-port 7687 --password secret}. The password may instead come from the
 * {@code FLAGBEARER_NEO4J_PASSWORD} environment variable, which keeps it out of {@code ps}.
 */
public final class LocalNeo4j {
    private static final String HOST = "127.0.0.1";
    private static final String PASSWORD_ENV = "FLAGBEARER_NEO4J_PASSWORD";
    private static final int EXIT_USAGE = 64;
    private static final int EXIT_PORT_IN_USE = 3;
    private static final int EXIT_FAILED = 1;

    private LocalNeo4j() {}

    public static void main(String[] args) {
        Path home = null;
        int boltPort = -1;
        String password = System.getenv(PASSWORD_ENV);
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                usage("missing value for " + flag);
            }
            String value = args[++i];
            switch (flag) {
                case "--home" -> home = Path.of(value).toAbsolutePath().normalize();
                case "--bolt-port" -> boltPort = parsePort(value);
                case "--password" -> password = value;
                default -> usage("unknown option " + flag);
            }
        }
        if (home == null || boltPort < 0 || password == null || password.isEmpty()) {
            usage("--home, --bolt-port and a password are required");
        }

        // Neo4j's own bind error is a long stack trace; say plainly what is wrong instead.
        if (!portIsFree(boltPort)) {
            fail(EXIT_PORT_IN_USE, "port " + boltPort + " is already in use on " + HOST);
        }

        DatabaseManagementService service;
        try {
            service = new DatabaseManagementServiceBuilder(home)
                    .setConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress(HOST))
                    .setConfig(BoltConnector.enabled, true)
                    .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, boltPort))
                    .setConfig(HttpConnector.enabled, false)
                    .setConfig(HttpsConnector.enabled, false)
                    .setConfig(GraphDatabaseSettings.auth_enabled, true)
                    .setConfig(GraphDatabaseSettings.udc_enabled, false)
                    .setConfig(GraphDatabaseSettings.logs_directory, home.resolve("logs"))
                    .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(256))
                    // One transaction holds a whole import: a CRM export of 50,000 contacts peaks
                    // at about 650 MiB while it commits.
                    .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size, ByteUnit.mebiBytes(1280))
                    .setConfig(GraphDatabaseSettings.memory_transaction_max_size, ByteUnit.mebiBytes(1024))
                    // The Bolt server's default grace periods make a stop take ~15 s after the
                    // databases have already checkpointed; a single-user dev server needs ~1 s.
                    .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                    .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(5))
                    .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                    .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                    .build();
        } catch (RuntimeException e) {
            e.printStackTrace();
            fail(EXIT_FAILED, "Neo4j did not start: " + rootMessage(e));
            return;
        }
        DatabaseManagementService running = service;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("STOPPING");
            running.shutdown();
            System.out.println("STOPPED");
            System.out.flush();
        }, "neo4j-shutdown"));

        try {
            setPassword(service, password);
        } catch (RuntimeException e) {
            e.printStackTrace();
            fail(EXIT_FAILED, "could not set the password of user neo4j: " + rootMessage(e));
        }

        System.out.println("READY bolt://" + HOST + ":" + boltPort);
        System.out.flush();
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sets the password, or leaves it alone when it already is this one. */
    private static void setPassword(DatabaseManagementService service, String password) {
        try {
            service.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
        } catch (RuntimeException e) {
            // Neo4j refuses to "change" a password to its current value; that is the
            // second and every later start, and the state we want.
            if (!rootMessage(e).contains("cannot be the same")) {
                throw e;
            }
        }
    }

    private static boolean portIsFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int parsePort(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        usage("--bolt-port must be a port number, got " + value);
        return -1;
    }

    private static String rootMessage(Throwable error) {
        StringBuilder message = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                if (message.length() > 0) {
                    message.append(": ");
                }
                message.append(t.getMessage());
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return message.toString();
    }

    private static void usage(String problem) {
        fail(EXIT_USAGE, problem
                + "\nusage: LocalNeo4j --home DIR --bolt-port N [--password P]"
                + " (or the password in $" + PASSWORD_ENV + ")");
    }

    private static void fail(int status, String message) {
        System.err.println("ERROR " + message);
        System.err.flush();
        System.exit(status);
    }
}
