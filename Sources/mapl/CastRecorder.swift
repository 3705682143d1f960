import Foundation
import MaplNN
import MaplNotebook

/// `mapl replay FILE --cast OUT.cast`: the replay played by the real notebook on a pseudo-terminal of the
/// given size, every byte it draws recorded as an asciicast v2 "o" event at the moment it came, and an "m"
/// marker where each chapter (`## ` heading) begins. The frames are the ones a person watching sees —
/// nothing is drawn twice — and the recording ends at the replay's last frame (the notebook is then stopped
/// without restoring the terminal, which would clear the picture).
enum CastRecorder {
    struct Failure: Error, CustomStringConvertible { let description: String }

    /// Records `mapl replay` with `arguments` (the replay's own options) into `path`; the exit status.
    static func record(arguments: [String], width: Int, height: Int, title: String, to path: String) throws -> Int32 {
        // posix_openpt and ptsname hide behind _XOPEN_SOURCE in the C headers Swift imports; this is what they
        // do on Linux: open the multiplexer, unlock the new terminal, ask its number (TIOCSPTLCK, TIOCGPTN are
        // the same on every Linux architecture).
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        var unlock: Int32 = 0, number: UInt32 = 0
        guard master >= 0, ioctl(master, UInt(0x4004_5431), &unlock) == 0, ioctl(master, UInt(0x8004_5430), &number) == 0 else {
            throw Failure(description: "cannot open a pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        defer { close(master) }
        let slave = "/dev/pts/\(number)"
        var size = winsize(ws_row: UInt16(height), ws_col: UInt16(width), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)

        let log = FileManager.default.temporaryDirectory.appendingPathComponent("mapl-cast-\(getpid())-\(UUID().uuidString).log").path
        guard FileManager.default.createFile(atPath: log, contents: nil) else { throw Failure(description: "cannot write '\(log)'") }
        defer { try? FileManager.default.removeItem(atPath: log) }
        guard let out = FileHandle(forWritingAtPath: path) ?? (FileManager.default.createFile(atPath: path, contents: nil) ? FileHandle(forWritingAtPath: path) : nil) else {
            throw Failure(description: "cannot write '\(path)'")
        }
        defer { try? out.close() }
        try out.truncate(atOffset: 0)

        let pid = try spawn(arguments + ["--cast-log", log], terminal: slave)
        let header = "{\"version\": 2, \"width\": \(width), \"height\": \(height), \"timestamp\": \(Int(Date().timeIntervalSince1970)), "
            + "\"title\": \(JSONValue.quote(title)), \"env\": {\"TERM\": \"xterm-256color\", \"SHELL\": \"/bin/sh\"}}\n"
        try out.write(contentsOf: Data(header.utf8))

        let start = Date()
        var pending: [UInt8] = []      // bytes of a character split across reads
        var logRead = 0
        var endedAt: Date? = nil, lastOutput = Date()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        loop: while true {
            var fds = [pollfd(fd: master, events: Int16(POLLIN), revents: 0)]
            _ = poll(&fds, 1, 50)
            let t = Date().timeIntervalSince(start)
            if fds[0].revents & Int16(POLLIN) != 0 {
                let n = read(master, &buffer, buffer.count)
                if n <= 0 { break loop }   // the notebook exited (EIO once the terminal's last user closed it)
                pending += buffer[0..<n]
                let whole = completeUTF8Prefix(pending)
                if whole > 0 {
                    let text = String(decoding: pending[0..<whole], as: UTF8.self)
                    pending.removeFirst(whole)
                    try out.write(contentsOf: Data("[\(String(format: "%.6f", t)), \"o\", \(JSONValue.quote(text))]\n".utf8))
                }
                lastOutput = Date()
            } else if fds[0].revents & Int16(POLLHUP | POLLERR) != 0 {
                break loop
            }
            // What the notebook said since: chapters begun, the replay ended.
            if let data = FileManager.default.contents(atPath: log), data.count > logRead {
                let fresh = String(decoding: data[logRead...], as: UTF8.self)
                guard let lastNewline = fresh.lastIndex(of: "\n") else { continue }
                logRead += fresh[...lastNewline].utf8.count
                for line in fresh[...lastNewline].split(separator: "\n") {
                    if line.hasPrefix("chapter ") {
                        try out.write(contentsOf: Data("[\(String(format: "%.6f", t)), \"m\", \(JSONValue.quote(String(line.dropFirst(8))))]\n".utf8))
                    } else if line == "end" {
                        endedAt = Date()
                    }
                }
            }
            // The replay's last frame is drawn once the output has been quiet for a while after its end.
            if let end = endedAt, Date().timeIntervalSince(lastOutput) > 0.7 || Date().timeIntervalSince(end) > 10 { break loop }
        }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        guard endedAt != nil else { throw Failure(description: "the replay stopped before its end") }
        return 0
    }

    /// Starts this executable as `mapl ARGUMENTS` with `terminal` as its standard input, output and error.
    private static func spawn(_ arguments: [String], terminal: String) throws -> pid_t {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, terminal, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        var environment = ProcessInfo.processInfo.environment
        environment["TERM"] = "xterm-256color"
        if environment["LANG"] == nil && environment["LC_ALL"] == nil { environment["LANG"] = "C.UTF-8" }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard rc == 0 else { throw Failure(description: "cannot start the notebook: \(String(cString: strerror(rc)))") }
        return pid
    }

    /// How many leading bytes of `bytes` end on a character boundary.
    static func completeUTF8Prefix(_ bytes: [UInt8]) -> Int {
        var k = bytes.count
        var back = 0
        while k > 0, back < 4, bytes[k - 1] & 0xC0 == 0x80 { k -= 1; back += 1 }
        guard k > 0 else { return bytes.count }
        let lead = bytes[k - 1]
        let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        return back + 1 >= length ? bytes.count : k - 1
    }
}
