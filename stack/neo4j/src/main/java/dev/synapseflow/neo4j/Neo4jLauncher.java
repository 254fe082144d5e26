package dev.synapseflow.neo4j;

import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.neo4j.cli.ExecutionContext;
import org.neo4j.commandline.admin.security.SetInitialPasswordCommand;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.QueryExecutionException;
import org.neo4j.io.ByteUnit;
import org.neo4j.logging.log4j.Log4jLogProvider;
import picocli.CommandLine;

/**
 * Runs Neo4j Community embedded in the foreground: Bolt on 127.0.0.1 only, auth on, APOC loaded.
 *
 * <p>Usage: {@code Neo4jLauncher --home DIR --plugins DIR --port 7687 --pagecache 256m
 * --transaction-timeout-seconds 120} (0: none); the
 * credentials come from NEO4J_USER (default neo4j) and NEO4J_PASSWORD, so they never show in ps.
 * Prints one line starting with "NEO4J READY" once Bolt accepts the password; SIGTERM shuts down.
 */
public final class Neo4jLauncher {
  private Neo4jLauncher() {}

  public static void main(String[] argv) {
    try {
      run(options(argv));
    } catch (Exception e) {
      System.err.println("NEO4J FAILED: " + e);
      e.printStackTrace();
      System.exit(1);
    }
  }

  private static void run(Map<String, String> opts) throws InterruptedException {
    Path home = Path.of(required(opts, "home")).toAbsolutePath();
    Path plugins = Path.of(required(opts, "plugins")).toAbsolutePath();
    int port = Integer.parseInt(opts.getOrDefault("port", "7687"));
    long pageCache = ByteUnit.parse(opts.getOrDefault("pagecache", "256m"));
    long transactionTimeout = Long.parseLong(opts.getOrDefault("transaction-timeout-seconds", "0"));
    String user = System.getenv().getOrDefault("NEO4J_USER", "neo4j");
    String password = System.getenv("NEO4J_PASSWORD");
    if (password == null || password.length() < 8) {
      throw new IllegalArgumentException("NEO4J_PASSWORD must be set (at least 8 characters)");
    }
    long heap = Runtime.getRuntime().maxMemory();
    if (user.equals("neo4j") && !Files.exists(home.resolve("data/databases/system"))) {
      // Before the first start, as `neo4j-admin dbms set-initial-password` does: Bolt then never
      // serves the default password, and readiness probes cannot trip the failed-login lockout.
      int status = new CommandLine(new SetInitialPasswordCommand(new ExecutionContext(home, home.resolve("conf"))))
          .execute(password);
      if (status != 0) throw new IllegalStateException("set-initial-password failed with status " + status);
    }

    DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
        .setUserLogProvider(new Log4jLogProvider(System.out))
        .setConfig(BoltConnector.enabled, true)
        .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
        .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
        .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
        // Netty waits 5 s for quiet before closing Bolt; nothing to drain on a dev box.
        .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
        .setConfig(HttpConnector.enabled, false)
        .setConfig(GraphDatabaseSettings.auth_enabled, true)
        .setConfig(GraphDatabaseSettings.plugin_dir, plugins)
        .setConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("apoc.*"))
        .setConfig(GraphDatabaseSettings.procedure_allowlist, List.of("apoc.*"))
        .setConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
        // Transaction state lives on the heap: a runaway query fails instead of exhausting it.
        .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size, heap / 2)
        .setConfig(GraphDatabaseSettings.memory_transaction_max_size, heap / 4)
        // A transaction running longer is terminated by the server, whichever client started it.
        .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofSeconds(transactionTimeout))
        // Otherwise each database's transaction log starts as a 256 MiB file, 0.5 GB for an empty DBMS.
        .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
        .setConfig(GraphDatabaseSettings.udc_enabled, false)
        .build();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      long start = System.nanoTime();
      System.out.println("NEO4J STOPPING");
      dbms.shutdown();
      System.out.printf("NEO4J STOPPED in %d ms%n", (System.nanoTime() - start) / 1_000_000);
      stopped.countDown();
    }, "neo4j-shutdown"));

    setPassword(dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME), user, password);
    GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
    String version = db.executeTransactionally(
        "CALL dbms.components() YIELD versions RETURN versions[0] AS v", Map.of(),
        result -> (String) result.next().get("v"));
    String apoc;
    try {
      apoc = db.executeTransactionally("RETURN apoc.version() AS v", Map.of(),
          result -> (String) result.next().get("v"));
    } catch (QueryExecutionException e) {
      throw new IllegalStateException("APOC did not load from " + plugins + ": " + e.getMessage(), e);
    }
    System.out.printf("NEO4J READY %s bolt://127.0.0.1:%d (APOC %s, heap %dm, page cache %dm)%n",
        version, port, apoc, heap >> 20, pageCache >> 20);
    System.out.flush();
    stopped.await();
  }

  /** Idempotent: creates the user or sets its password (NEO4J_PASSWORD may have changed since). */
  private static void setPassword(GraphDatabaseService system, String user, String password) {
    Map<String, Object> params = Map.of("user", user, "password", password);
    boolean exists = system.executeTransactionally(
        "SHOW USERS YIELD user WHERE user = $user RETURN count(*) AS n", params,
        result -> ((Number) result.next().get("n")).longValue() > 0);
    if (!exists) {
      system.executeTransactionally("CREATE USER $user SET PASSWORD $password CHANGE NOT REQUIRED", params);
      return;
    }
    try {
      system.executeTransactionally("ALTER USER $user SET PASSWORD $password CHANGE NOT REQUIRED", params);
    } catch (QueryExecutionException e) {
      // Neo4j refuses to "change" a password to its current value: that is the restart case.
      if (!e.getMessage().contains("Old password and new password cannot be the same")) throw e;
    }
  }

  private static Map<String, String> options(String[] argv) {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i < argv.length; i += 2) {
      if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
        throw new IllegalArgumentException("expected --name value pairs, got: " + String.join(" ", argv));
      }
      opts.put(argv[i].substring(2), argv[i + 1]);
    }
    return opts;
  }

  private static String required(Map<String, String> opts, String name) {
    String value = opts.get(name);
    if (value == null) throw new IllegalArgumentException("missing --" + name);
    return value;
  }
}
