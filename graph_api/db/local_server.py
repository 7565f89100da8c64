"""The local Neo4j 5.26 Community that ``graph-api`` runs when no ``NEO4J_URI`` is set.

Neo4j is resolved from Maven Central by the small launcher the package ships in
``graph_api/neo4j_launcher/`` (an embedded ``DatabaseManagementService`` with Bolt on 127.0.0.1)
and runs in its own JVM session, so it outlives the ``graph-api neo4j start`` that started it.
The home directory holds everything: ``data/`` and ``logs/`` (Neo4j's own), ``neo4j.pid`` and
``neo4j.log`` (the JVM's stdout and stderr). The compiled launcher is cached next to it, in
``home.parent / "launcher"``, keyed by the launcher's sources, so a repeat start runs no Maven
at all.

Example:
    >>> server = LocalNeo4j(home=Path(".data/neo4j"), bolt_port=7687)
    >>> server.start().bolt_uri
    'bolt://127.0.0.1:7687'
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from neo4j import GraphDatabase
from neo4j.exceptions import DriverError, Neo4jError

from graph_api.config import DEFAULT_LOCAL_PASSWORD
from graph_api.errors import Unavailable
from graph_api.package_data import NEO4J_LAUNCHER_DIR

logger = logging.getLogger(__name__)

HOST = "127.0.0.1"
MAIN_CLASS = "io.flagbearer.neo4j.LocalNeo4j"
MIN_JAVA = 17
# The launcher reads the password from here, which keeps it out of ``ps``.
PASSWORD_ENV = "FLAGBEARER_NEO4J_PASSWORD"  # noqa: S105 - a variable's name, not a password

# Heap and GC for a dev server, then the flags Neo4j 5.26's own launcher adds on Java 17
# (the ``server.jvm.additional`` lines of its conf/neo4j.conf).
JVM_FLAGS = (
    "-Xms256m",
    "-Xmx2g",  # room for one transaction of up to 1 GiB (a large CRM import)
    "-XX:+UseG1GC",
    "-XX:+ExitOnOutOfMemoryError",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
)

# The first resolution downloads ~200 jars from Maven Central.
MAVEN_TIMEOUT = 1800.0
LOG_TAIL_LINES = 20
POLL_INTERVAL = 0.25
KILL_WAIT = 10.0
JARS_FILE = "jars.txt"
PROC = Path("/proc")


@dataclass(frozen=True)
class ServerStatus:
    """``running`` means the JVM is alive and Bolt accepts connections; ``pid`` is set
    whenever the JVM is alive, even while it is still starting."""

    running: bool
    pid: int | None
    bolt_uri: str
    home: Path


class LocalNeo4j:
    """Starts, stops and reports on the local Neo4j whose data lives in ``home``."""

    def __init__(
        self,
        home: Path,
        bolt_port: int = 7687,
        password: str = DEFAULT_LOCAL_PASSWORD,
        launcher_dir: Path = NEO4J_LAUNCHER_DIR,
    ) -> None:
        self.home = home.absolute()
        self.bolt_port = bolt_port
        self.password = password
        self.launcher_dir = launcher_dir.absolute()
        self.pid_file = self.home / "neo4j.pid"
        self.log_file = self.home / "neo4j.log"
        self.cache_dir = self.home.parent / "launcher"

    @property
    def bolt_uri(self) -> str:
        return f"bolt://{HOST}:{self.bolt_port}"

    def prepare(self) -> None:
        """Check for Java 17+ and build the launcher unless a build of its sources is cached.

        Maven and ``javac`` are needed only when that build is missing or stale.
        """
        self._java_and_classpath()

    def start(self, timeout: float = 180.0) -> ServerStatus:
        """Start Neo4j and return once the driver can log in; a no-op when it already runs."""
        deadline = time.monotonic() + timeout
        pid = self._live_pid()
        if pid is not None:
            cmdline = _cmdline(pid)
            if cmdline is not None and f"--bolt-port {self.bolt_port} " not in f"{cmdline} ":
                raise Unavailable(
                    f"Neo4j for {self.home} already runs (pid {pid}) on another Bolt port; "
                    "stop it first"
                )
            if _port_accepts(self.bolt_port):
                return self.status()
            # Another start is still under way: wait for it rather than start a second JVM.
            return self._await_ready(pid, deadline, log_offset=None, owned=False)
        self.pid_file.unlink(missing_ok=True)
        if not _port_is_free(self.bolt_port):
            raise Unavailable(
                f"port {self.bolt_port} is already in use on {HOST} by another process; "
                "stop it or choose another Bolt port"
            )
        java, classpath = self._java_and_classpath()
        self.home.mkdir(parents=True, exist_ok=True)
        log_offset = self.log_file.stat().st_size if self.log_file.exists() else 0
        pid = self._spawn(java, classpath)
        _write_atomically(self.pid_file, f"{pid}\n")
        return self._await_ready(pid, deadline, log_offset=log_offset, owned=True)

    def stop(self, timeout: float = 60.0) -> None:
        """Stop Neo4j with SIGTERM (it checkpoints and closes cleanly); SIGKILL only after
        ``timeout``. A no-op when it is not running."""
        pid = self._live_pid()
        if pid is not None:
            _terminate(pid, timeout)
        self.pid_file.unlink(missing_ok=True)

    def status(self) -> ServerStatus:
        pid = self._live_pid()
        return ServerStatus(
            running=pid is not None and _port_accepts(self.bolt_port),
            pid=pid,
            bolt_uri=self.bolt_uri,
            home=self.home,
        )

    def _live_pid(self) -> int | None:
        """The pid in the pid file, if that process is alive and is this home's launcher."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        if not _alive(pid):
            return None
        cmdline = _cmdline(pid)
        if cmdline is not None and (MAIN_CLASS not in cmdline or str(self.home) not in cmdline):
            return None  # the pid was reused by an unrelated process
        return pid

    def _spawn(self, java: str, classpath: str) -> int:
        argv = [
            java,
            *JVM_FLAGS,
            MAIN_CLASS,
            "--home",
            str(self.home),
            "--bolt-port",
            str(self.bolt_port),
        ]
        env = {**os.environ, "CLASSPATH": classpath, PASSWORD_ENV: self.password}
        with self.log_file.open("a", encoding="utf-8") as log:
            log.write(f"--- graph-api: starting Neo4j on {self.bolt_uri} at {time.ctime()}\n")
        # posix_spawn with setsid detaches the JVM like Popen(start_new_session=True) would,
        # without a Popen object that warns when the CLI exits and leaves the JVM running.
        return os.posix_spawn(
            java,
            argv,
            env,
            file_actions=[
                (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                (
                    os.POSIX_SPAWN_OPEN,
                    1,
                    str(self.log_file),
                    os.O_WRONLY | os.O_APPEND | os.O_CREAT,
                    0o644,
                ),
                (os.POSIX_SPAWN_DUP2, 1, 2),
            ],
            setsid=True,
        )

    def _await_ready(
        self, pid: int, deadline: float, *, log_offset: int | None, owned: bool
    ) -> ServerStatus:
        """Wait for the READY line (from this start) and a successful driver login."""
        while True:
            if not _alive(pid):
                self.pid_file.unlink(missing_ok=True)
                raise Unavailable(
                    f"Neo4j exited while starting; last lines of {self.log_file} "
                    f"(details in {self.home / 'logs' / 'debug.log'}):\n"
                    + self._log_tail(log_offset or 0)
                )
            ready_line = log_offset is None or "READY bolt://" in self._log_since(log_offset)
            if ready_line and self._driver_logs_in():
                return self.status()
            if time.monotonic() > deadline:
                if owned:
                    _terminate(pid, KILL_WAIT)
                    self.pid_file.unlink(missing_ok=True)
                raise Unavailable(
                    f"Neo4j (pid {pid}) did not answer on {self.bolt_uri} in time; "
                    f"last lines of {self.log_file}:\n" + self._log_tail(log_offset or 0)
                )
            time.sleep(POLL_INTERVAL)

    def _driver_logs_in(self) -> bool:
        try:
            with GraphDatabase.driver(
                self.bolt_uri, auth=("neo4j", self.password), connection_timeout=2.0
            ) as driver:
                driver.verify_connectivity()
        except (DriverError, Neo4jError, OSError):
            return False
        return True

    def _log_since(self, offset: int) -> str:
        try:
            with self.log_file.open("rb") as log:
                log.seek(offset)
                return log.read().decode("utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def _log_tail(self, offset: int) -> str:
        lines = self._log_since(offset).splitlines()[-LOG_TAIL_LINES:]
        return "\n".join(lines) if lines else "(the log is empty)"

    def _java_and_classpath(self) -> tuple[str, str]:
        java = _find_java()
        return java, self._launcher_classpath(java)

    def _launcher_classpath(self, java: str) -> str:
        """The launcher's classpath (its classes, then Neo4j's jars), built once per source."""
        sources = self._launcher_sources()
        digest = hashlib.sha256()
        for path in sources:
            digest.update(str(path.relative_to(self.launcher_dir)).encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
        build = self.cache_dir / digest.hexdigest()[:16]
        classpath = _cached_classpath(build)
        if classpath is not None:
            return classpath
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f"{build.name}.", dir=self.cache_dir))
        try:
            self._build(java, sources, staging)
            try:
                staging.rename(build)
            except OSError as error:  # a concurrent prepare() finished first
                if error.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                    raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        classpath = _cached_classpath(build)
        if classpath is None:
            raise Unavailable(f"the launcher build in {build} is incomplete; delete it and retry")
        return classpath

    def _launcher_sources(self) -> list[Path]:
        pom = self.launcher_dir / "pom.xml"
        if not pom.is_file():
            raise Unavailable(f"the Neo4j launcher is missing: {pom} does not exist")
        return [pom, *sorted((self.launcher_dir / "src" / "main" / "java").rglob("*.java"))]

    def _build(self, java: str, sources: list[Path], staging: Path) -> None:
        mvn = shutil.which("mvn")
        if mvn is None:
            raise Unavailable(
                "Maven (mvn) is not on PATH; it is needed once to resolve Neo4j 5.26 from "
                "Maven Central (e.g. apt install maven)"
            )
        javac = _find_javac(java)
        jars_file = staging / JARS_FILE
        _run(
            [
                mvn,
                "-q",
                "-B",
                "-f",
                str(sources[0]),
                "dependency:build-classpath",
                f"-Dmdep.outputFile={jars_file}",
            ],
            what="resolving Neo4j from Maven Central",
            timeout=MAVEN_TIMEOUT,
        )
        jars = jars_file.read_text(encoding="utf-8").strip()
        _run(
            [javac, "--release", str(MIN_JAVA), "-d", str(staging / "classes"), "-cp", jars]
            + [str(p) for p in sources[1:]],
            what="compiling the Neo4j launcher",
            timeout=300.0,
        )


def _cached_classpath(build: Path) -> str | None:
    """The cached classpath, or None when the build is missing or a jar it names has gone
    (say, from a cleaned ~/.m2)."""
    classes = build / "classes"
    if not (classes / (MAIN_CLASS.replace(".", "/") + ".class")).is_file():
        return None
    try:
        jars = (build / JARS_FILE).read_text(encoding="utf-8").strip().split(os.pathsep)
    except FileNotFoundError:
        return None
    if not all(Path(jar).is_file() for jar in jars):
        return None
    return os.pathsep.join([str(classes), *jars])


def _find_java() -> str:
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        java = Path(java_home) / "bin" / "java"
        if not os.access(java, os.X_OK):
            raise Unavailable(f"JAVA_HOME is {java_home}, but {java} is not an executable")
        found = str(java)
    else:
        which = shutil.which("java")
        if which is None:
            raise Unavailable(
                f"Java {MIN_JAVA}+ is needed for the local Neo4j, but java is not on PATH and "
                "JAVA_HOME is not set (e.g. apt install openjdk-17-jdk)"
            )
        found = which
    version = subprocess.run(  # noqa: S603 - a resolved java executable, no shell
        [found, "-version"], capture_output=True, text=True, timeout=60, check=False
    )
    match = re.search(r'version "(\d+)(?:\.(\d+))?', version.stderr + version.stdout)
    if match is None:
        raise Unavailable(f"could not tell the version of {found}: {version.stderr.strip()}")
    major = int(match.group(1))
    if major == 1 and match.group(2) is not None:  # "1.8.0_392" is Java 8
        major = int(match.group(2))
    if major < MIN_JAVA:
        raise Unavailable(f"Neo4j 5.26 needs Java {MIN_JAVA}+, but {found} is Java {major}")
    return found


def _find_javac(java: str) -> str:
    sibling = Path(java).resolve().parent / "javac"
    if os.access(sibling, os.X_OK):
        return str(sibling)
    raise Unavailable(
        f"javac is missing next to {java}; the launcher is compiled once and needs a JDK, "
        "not just a JRE (e.g. apt install openjdk-17-jdk-headless)"
    )


def _run(argv: list[str], *, what: str, timeout: float) -> None:
    try:
        done = subprocess.run(  # noqa: S603 - resolved executables, no shell
            argv, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise Unavailable(f"{what} took longer than {timeout:.0f} s") from error
    if done.returncode != 0:
        output = (done.stdout + done.stderr).strip().splitlines()[-LOG_TAIL_LINES:]
        raise Unavailable(
            f"{what} failed ({argv[0]} exited {done.returncode}):\n" + "\n".join(output)
        )


def _alive(pid: int) -> bool:
    """Whether ``pid`` still runs: any of its threads has yet to exit."""
    with contextlib.suppress(ChildProcessError):  # not our child: ask the kernel below
        reaped, _ = os.waitpid(pid, os.WNOHANG)
        return reaped != pid  # our child: waitpid knows, and reaps it once it has exited
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie answers kill(pid, 0) until its parent reaps it. Its main thread turns zombie
    # while the JVM's other threads are still closing the store, so look at every thread.
    try:
        states = [
            (task / "stat").read_text(encoding="utf-8", errors="replace")
            for task in (PROC / str(pid) / "task").iterdir()
        ]
    except OSError:
        return not PROC.is_dir() or (PROC / str(pid)).exists()
    return any(stat.rpartition(")")[2].split()[:1] != ["Z"] for stat in states)


def _cmdline(pid: int) -> str | None:
    """The process's command line where /proc exists (Linux), else None."""
    try:
        raw = (PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return None
    return raw.replace(b"\0", b" ").decode("utf-8", errors="replace")


def _terminate(pid: int, timeout: float) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    if _wait_for_exit(pid, timeout):
        return
    logger.warning(
        "Neo4j (pid %d) did not stop within %.0f s of SIGTERM; killing it with SIGKILL "
        "(the next start recovers the store from its transaction log)",
        pid,
        timeout,
    )
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    if not _wait_for_exit(pid, KILL_WAIT):
        raise Unavailable(f"Neo4j (pid {pid}) survived SIGKILL")


def _wait_for_exit(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while _alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As Neo4j binds: with SO_REUSEADDR, so a just-closed socket in TIME_WAIT is no clash.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def _port_accepts(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1.0):
            return True
    except OSError:
        return False


def _write_atomically(path: Path, text: str) -> None:
    staging = path.with_name(f".{path.name}.{os.getpid()}")
    staging.write_text(text, encoding="utf-8")
    staging.replace(path)
