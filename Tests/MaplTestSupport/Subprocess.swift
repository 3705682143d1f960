import Foundation

/// Runs a program to its end, as the tests run `mapl`, Python and shell scripts: its exit status and what it
/// wrote. Its standard input is `input` (or nothing: it reads end of file at once).
public enum Subprocess {
    /// `argv[0]` with the rest as its arguments, in `directory` when given, with `environment` in place of this
    /// process's when given. With `mergingErrors` standard error goes to the same pipe as standard output
    /// (`output` then holds both, in the order written, as a terminal shows them; `error` is empty).
    public static func run(_ argv: [String], input: String? = nil, environment: [String: String]? = nil,
                           directory: String? = nil, mergingErrors: Bool = false) throws -> (status: Int32, output: String, error: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: argv[0])
        p.arguments = Array(argv.dropFirst())
        if let environment { p.environment = environment }
        if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        p.standardInput = stdin
        p.standardOutput = stdout
        p.standardError = mergingErrors ? stdout : stderr
        try p.run()
        stdin.fileHandleForWriting.write(Data((input ?? "").utf8))
        try? stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = mergingErrors ? Data() : stderr.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}
