import Foundation
import XCTest
import MaplTestSupport

/// Drives the real `mapl` binary in a terminal: a private tmux server at a fixed size, keys sent as a user
/// types them, the screen read with `capture-pane`. Waits poll the screen until the expected text appears or
/// a deadline passes — never a fixed sleep.
final class TmuxDriver {
    let socket: String
    let width: Int
    let height: Int
    let directory: String

    /// Starts `command` (run by /bin/sh in `directory`) in a `width`×`height` terminal.
    init(_ command: String, width: Int = 120, height: Int = 36, directory: String? = nil, environment: [String: String] = [:]) throws {
        guard TmuxDriver.available else { try RealData.unavailable("tmux is not installed (apt-get install tmux)") }
        socket = "mapl-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        self.width = width
        self.height = height
        self.directory = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("mapl-e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: self.directory, withIntermediateDirectories: true)
        var env = ["LANG": "C.UTF-8", "TERM": "xterm-256color", "HOME": self.directory]
        if let data = ProcessInfo.processInfo.environment["MAPL_DATA"] { env["MAPL_DATA"] = data }
        env.merge(environment) { $1 }
        let assignments = env.sorted { $0.key < $1.key }.map { "\($0.key)=\(TmuxDriver.quote($0.value))" }.joined(separator: " ")
        try tmux(["new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-c", self.directory,
                  "env \(assignments) \(command)"])
    }

    deinit { _ = try? tmux(["kill-server"]) }

    static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") }

    /// The `mapl` under test: `$MAPL_BINARY` (the release build `make test` makes), else the debug build
    /// next to the tests.
    static var mapl: String {
        if let b = ProcessInfo.processInfo.environment["MAPL_BINARY"], !b.isEmpty {
            return URL(fileURLWithPath: b).standardizedFileURL.path
        }
        let bundle = Bundle(for: TmuxDriver.self).bundleURL
        let products = bundle.pathExtension == "xctest" ? bundle.deletingLastPathComponent() : bundle
        return products.appendingPathComponent("mapl").path
    }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// Types text as keys.
    func type(_ text: String) throws { try tmux(["send-keys", "-l", text]) }
    /// Presses keys by tmux name: "Enter", "Tab", "C-c", "C-d", "PageUp", "F2".
    func press(_ keys: String...) throws { try tmux(["send-keys"] + keys) }
    /// Types a line and presses Enter.
    func enter(_ line: String) throws { try type(line); try press("Enter") }

    /// Pastes text as a terminal does with bracketed paste on.
    func paste(_ text: String) throws {
        let file = directory + "/paste-\(UUID().uuidString).txt"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        try tmux(["load-buffer", file])
        try tmux(["paste-buffer", "-p", "-d"])
    }

    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-x", "\(width)", "-y", "\(height)"])
    }

    /// The screen as text lines.
    func screen() -> String { (try? tmux(["capture-pane", "-p"])) ?? "" }

    /// Waits until `condition` holds for the screen; fails the test (with the last screen) after `timeout`.
    ///
    /// A capture can fall in the middle of a redraw (a new header over the last frame's body), so once the
    /// condition holds the screen is read again until two reads 30 ms apart agree (at most 0.5 s, while the
    /// condition still holds): what the caller then checks is a whole frame, not half of one.
    @discardableResult
    func waitFor(_ what: String, timeout: Double = 20, file: StaticString = #filePath, line: UInt = #line,
                 _ condition: (String) -> Bool) -> String {
        let deadline = Date(timeIntervalSinceNow: timeout)
        var last = ""
        while Date() < deadline {
            last = screen()
            if condition(last) {
                for _ in 0..<16 {
                    usleep(30_000)
                    let next = screen()
                    guard next != last, condition(next) else { break }
                    last = next
                }
                return last
            }
            usleep(50_000)
        }
        XCTFail("waited \(timeout) s for \(what); the screen:\n\(last)", file: file, line: line)
        return last
    }

    /// Waits until `text` is on the screen.
    @discardableResult
    func waitFor(_ text: String, timeout: Double = 20, file: StaticString = #filePath, line: UInt = #line) -> String {
        waitFor("'\(text)'", timeout: timeout, file: file, line: line) { $0.contains(text) }
    }

    /// Whether the program in the terminal has ended.
    var isRunning: Bool { (try? tmux(["list-sessions"])) != nil }

    /// Runs one tmux command and returns what it printed. Spawned directly (posix_spawn + waitpid) rather
    /// than with Foundation's Process: the tmux server that the first command starts would inherit the
    /// descriptor Process watches for the child's exit, and that wait would never end.
    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        let outputPath = directory + "/.tmux-\(UUID().uuidString).out"
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ["/usr/bin/tmux", "-L", socket, "-f", "/dev/null"] + arguments
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/usr/bin/tmux", &actions, nil, &cArgs, environ) == 0 else { throw TmuxError(arguments: arguments) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard status == 0 else { throw TmuxError(arguments: arguments) }
        return output
    }

    struct TmuxError: Error { let arguments: [String] }
}
