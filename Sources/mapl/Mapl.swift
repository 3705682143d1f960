import ArgumentParser
import Foundation
import MaplLang

/// The `mapl` command: `mapl run FILE` runs a session headless, `mapl -e CODE` runs a line of code, and a
/// program piped into `mapl` runs headless too.
@main
struct Mapl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mapl",
        abstract: "A terminal notebook for deep learning: everything is a mapping.",
        subcommands: [Run.self])

    @Option(name: .short, help: "Run CODE and exit, printing what it prints.")
    var e: String?

    @Flag(help: "Draw pictures with a plain ASCII ramp instead of grey half blocks.")
    var ascii = false

    @Flag(help: "With -e or piped input: stream the session's events as JSON lines (see docs/events.md).")
    var json = false

    mutating func run() throws {
        if let code = e {
            throw ExitCode(Headless.run(source: code, file: "-e", ascii: ascii, json: json))
        }
        if isatty(STDIN_FILENO) == 0 {
            // `echo 'print(1+1)' | mapl`: the program on standard input, run headless.
            throw ExitCode(Headless.run(source: try Run.standardInput(), file: "<stdin>", ascii: ascii, json: json))
        }
        print(Mapl.helpMessage())
    }
}

/// `mapl run FILE`.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a .mapl session headless: print what it prints, stop at the first error or failed assert (exit 1).")

    @ArgumentParser.Argument(help: "The .mapl file to run, or - for standard input.")
    var file: String

    @Flag(help: "Draw pictures with a plain ASCII ramp instead of grey half blocks.")
    var ascii = false

    @Flag(help: "Stream the session's events as JSON lines instead of text (a header line first; see docs/events.md).")
    var json = false

    mutating func run() throws {
        if file == "-" {
            throw ExitCode(Headless.run(source: try Run.standardInput(), file: "<stdin>", ascii: ascii, json: json))
        }
        guard let data = FileManager.default.contents(atPath: file), let source = String(data: data, encoding: .utf8) else {
            FileHandle.standardError.write(Data("mapl: cannot read '\(file)'\n".utf8))
            throw ExitCode(2)
        }
        throw ExitCode(Headless.run(source: source, file: file, ascii: ascii, json: json))
    }

    /// All of standard input as UTF-8 text.
    static func standardInput() throws -> String {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        guard let text = String(data: data, encoding: .utf8) else {
            FileHandle.standardError.write(Data("mapl: standard input is not UTF-8 text\n".utf8))
            throw ExitCode(2)
        }
        return text
    }
}
