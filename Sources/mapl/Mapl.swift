import ArgumentParser
import Foundation
import MaplEngine
import MaplLang
import MaplNotebook

/// The `mapl` command: `mapl` opens the notebook (`mapl FILE` with the file's cells run first), `mapl run
/// FILE` runs a session headless, `mapl -e CODE` runs a line of code, and a program piped into `mapl` runs
/// headless too.
@main
struct Mapl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mapl",
        abstract: "A terminal notebook for deep learning: everything is a mapping.",
        discussion: "Inside mapl, " + NotebookHelp.language + """
             The language is described in docs/language.md (the contract: LANGUAGE.md); the sessions in \
            sessions/ teach it step by step.
            """,
        // The notebook is the default: a positional FILE on the root command itself would be matched before
        // the subcommands' names, so `mapl run FILE` read "run" as the notebook's file.
        subcommands: [Open.self, Run.self, ReplayCommand.self, JournalCommand.self, KernelCommand.self],
        defaultSubcommand: Open.self)

    /// Sets up what belongs to the whole process, once, before any command runs: the engine's malloc and
    /// threads (`Engine.configure`), and SIGXFSZ ignored so a save past `ulimit -f` fails with EFBIG and is
    /// reported instead of ending the process.
    ///
    /// The process ends with `_exit`, after flushing standard output, and not with `exit`: `exit` runs
    /// OpenBLAS's destructor, which joins its worker threads, and a worker that started late under `ulimit -v`
    /// retries mapping its 128 MiB buffer forever, so the join never returned (a `mapl run` that printed its
    /// error and then hung). Nothing of mapl's own waits for `exit`: journals and saves are written and closed
    /// before a command returns.
    static func main() {
        Engine.configure(.recommended)
        signal(SIGXFSZ, SIG_IGN)
        var status = ExitCode.success
        do {
            var command = try parseAsRoot(nil)
            try command.run()
        } catch {
            // What ArgumentParser's own `exit(withError:)` prints: help and `--version` on standard output, errors on standard error.
            status = exitCode(for: error)
            let text = fullMessage(for: error)
            if !text.isEmpty {
                if status == .success { print(text) } else { FileHandle.standardError.write(Data((text + "\n").utf8)) }
            }
        }
        fflush(nil)
        _exit(status.rawValue)
    }
}

/// `mapl [FILE]`, `mapl -e CODE`, `… | mapl`: the notebook, a line of code, or a piped program.
struct Open: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the notebook (FILE's cells run first); -e CODE runs a line; a program piped in runs headless.",
        discussion: NotebookHelp.notebook.joined(separator: "\n"))

    @ArgumentParser.Argument(help: "A .mapl file whose cells the notebook runs first.")
    var file: String?

    @Option(name: .short, help: "Run CODE and exit, printing what it prints.")
    var e: String?

    @OptionGroup var drawing: DrawingOptions

    mutating func run() throws {
        if let code = e {
            throw ExitCode(Headless.run(source: code, file: "-e", drawing: drawing, json: false))
        }
        if isatty(STDIN_FILENO) == 0 {
            // `echo 'print(1+1)' | mapl`: the program on standard input, run headless (`mapl run --json -`
            // streams its events).
            throw ExitCode(Headless.run(source: try Run.standardInput(), file: "<stdin>", drawing: drawing, json: false))
        }
        guard isatty(STDOUT_FILENO) != 0 else {
            FileHandle.standardError.write(Data("mapl: the notebook needs a terminal; to run a file headless use: mapl run FILE\n".utf8))
            throw ExitCode(2)
        }
        if let file {
            _ = try CommandInput.read(file)
        }
        throw ExitCode(Notebook.run(NotebookOptions(file: file, ascii: drawing.ascii)))
    }
}

/// `mapl run FILE`.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a .mapl session headless: print what it prints, stop at the first error or failed assert (exit 1).")

    @ArgumentParser.Argument(help: "The .mapl file to run, or - for standard input.")
    var file: String

    @OptionGroup var drawing: DrawingOptions

    @Flag(help: "Stream the session's events as JSON lines instead of text (a header line first; see docs/events.md).")
    var json = false

    @Option(help: ArgumentHelp("Also write a Markdown handout: each cell's code, its outputs, the walk of every trace.", valueName: "OUT.md"))
    var handout: String?

    @Flag(help: "With --handout: every trace a quiz, its answers left blank and keyed at the end.")
    var quiz = false

    @Flag(help: "With --handout: every picture also as a PNG file beside the Markdown (OUT-1.png, …).")
    var images = false

    @Option(help: ArgumentHelp("Also write every output as the Jupyter kernel sends it: DIR/N.txt, .png, .svg, .html.", valueName: "DIR"))
    var mime: String?

    mutating func run() throws {
        if (quiz || images) && handout == nil {
            FileHandle.standardError.write(Data("mapl: --quiz and --images go with --handout OUT.md\n".utf8))
            throw ExitCode(2)
        }
        let name = file == "-" ? "<stdin>" : file
        let request = handout.map { HandoutRequest(path: $0, title: (name as NSString).lastPathComponent, quiz: quiz, images: images) }
        let source = file == "-" ? try Run.standardInput() : try CommandInput.read(file)
        throw ExitCode(Headless.run(source: source, file: name, drawing: drawing, json: json, handout: request, mime: mime.map(MimeDump.init)))
    }

    /// All of standard input as UTF-8 text.
    static func standardInput() throws -> String {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        do { return try SourceFile.decode([UInt8](data), path: "<stdin>") } catch {
            FileHandle.standardError.write(Data("mapl: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
