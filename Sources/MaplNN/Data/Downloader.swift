import Foundation
import MaplEngine

/// Downloads with the `curl` tool in a subprocess. Chosen over URLSession because FoundationNetworking on
/// Linux pulls libcurl into every binary that links MaplNN, and its failure modes without a network are
/// harder to report; `curl` is on every system that has a network worth using, and when it is missing the
/// error says so.
///
/// The child is started with `posix_spawn` and reaped here with `waitpid`, not through Foundation's
/// `Process`: that reaps on a thread of its own, and where the thread could not run (a memory limit) curl
/// stayed a zombie, `isRunning` stayed true and the download could not be stopped.
enum Downloader {
    /// Fetches `url` to `destination`, reporting the bytes received about once a second. A stop request
    /// (`StopFlag.current`) ends curl (SIGTERM, then SIGKILL after 2 s), reaps it and throws `Interrupted`.
    static func fetch(_ url: String, to destination: String, progress: (String) -> Void) throws {
        let arguments = ["curl", "--fail", "--location", "--silent", "--show-error",
                         "--connect-timeout", "15", "--max-time", "900", "--output", destination, url]
        let child = try Child(arguments, name: url)
        var lastReport = Date()
        while true {
            if let status = child.exitStatus() {
                let message = child.errorOutput().trimmingCharacters(in: .whitespacesAndNewlines)
                switch status {
                case 0: return
                case 127: throw DataError("\(url): the curl tool is not installed")
                default: throw DataError("\(url): \(message.isEmpty ? "curl failed with status \(status)" : message)")
                }
            }
            if let stop = StopFlag.current, stop.isRequested {
                child.end()
                throw Interrupted()
            }
            usleep(50_000)
            if Date().timeIntervalSince(lastReport) >= 1,
               let size = (try? FileManager.default.attributesOfItem(atPath: destination))?[.size] as? Int {
                progress(String(format: "  %.1f MB received", Double(size) / 1_000_000))
                lastReport = Date()
            }
        }
    }

    /// A child process whose standard error is collected and whose end this process reaps itself.
    private final class Child {
        let pid: pid_t
        private let errors: Int32
        private var collected: [UInt8] = []
        private var reaped = false

        init(_ arguments: [String], name: String) throws {
            var fds: [Int32] = [-1, -1]
            guard pipe(&fds) == 0 else { throw DataError("\(name): cannot start curl (\(String(cString: strerror(errno))))") }
            _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
            posix_spawn_file_actions_addclose(&actions, fds[1])
            // The child starts with default signal actions and nothing blocked, whatever this process set.
            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            var none = sigset_t(), defaults = sigset_t()
            sigemptyset(&none)
            sigemptyset(&defaults)
            for sig in [SIGINT, SIGQUIT, SIGTERM, SIGPIPE, SIGXFSZ, SIGHUP] { sigaddset(&defaults, sig) }
            posix_spawnattr_setsigmask(&attributes, &none)
            posix_spawnattr_setsigdefault(&attributes, &defaults)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
            let argv = arguments.map { strdup($0) } + [nil]
            defer { for a in argv { free(a) } }
            var pid: pid_t = 0
            let rc = posix_spawnp(&pid, "curl", &actions, &attributes, argv, environ)
            close(fds[1])
            guard rc == 0 else {
                close(fds[0])
                if rc == ENOENT { throw DataError("\(name): the curl tool is not installed") }
                throw DataError("\(name): cannot start curl (\(String(cString: strerror(rc))))")
            }
            self.pid = pid
            errors = fds[0]
        }

        deinit {
            end()
            close(errors)
        }

        /// The exit status once the child has ended (a signal `n` is 128 + n), nil while it runs.
        func exitStatus() -> Int32? {
            drain()
            guard !reaped else { return nil }
            var status: Int32 = 0
            let r = waitpid(pid, &status, WNOHANG)
            if r == 0 || (r < 0 && errno == EINTR) { return nil }
            reaped = true
            guard r == pid else { return 1 }   // ECHILD: someone else reaped it; its status is lost
            drain()
            let signal = status & 0x7F
            return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
        }

        /// What the child wrote to standard error.
        func errorOutput() -> String { drain(); return String(decoding: collected, as: UTF8.self) }

        /// Ends the child and reaps it: SIGTERM, then SIGKILL if it is still there after 2 s.
        func end() {
            guard !reaped else { return }
            kill(pid, SIGTERM)
            for _ in 0..<40 {
                if exitStatus() != nil || reaped { return }
                usleep(50_000)
            }
            kill(pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            reaped = true
        }

        /// Reads what standard error holds now (a pipe is small; curl must never block on it).
        private func drain() {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while collected.count < 1 << 16 {
                let n = read(errors, &buffer, buffer.count)
                guard n > 0 else { return }
                collected += buffer[0..<n]
            }
        }
    }
}
