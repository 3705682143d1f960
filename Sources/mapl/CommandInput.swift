import ArgumentParser
import Foundation
import MaplLang

/// What every subcommand does with the file it is given: read it through `SourceFile` (whose errors say why:
/// missing, a directory, not UTF-8, …) or stop with that message and status 2; name a file's skipped lines.
enum CommandInput {
    /// The file's text, or exit 2 with `mapl: <why>` on standard error.
    static func read(_ path: String) throws -> String {
        do { return try SourceFile.read(path) } catch {
            throw failure("\(error)")
        }
    }

    /// A journal to read as a stream (of any size), or exit 2 with `mapl: <why>`.
    static func journal(_ path: String) throws -> JournalReader {
        do { return try JournalReader(path: path) } catch {
            throw failure("\(error)")
        }
    }

    /// Each warning on standard error, after the file's name; what came from the file is shown, not obeyed.
    static func warn(_ warnings: [String], in path: String) {
        for warning in warnings { FileHandle.standardError.write(Data(TerminalText.visible("\(path): \(warning)\n").utf8)) }
    }

    /// Says `mapl: <why>` on standard error; the status to exit with.
    private static func failure(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data(TerminalText.visible("mapl: \(message)\n").utf8))
        return ExitCode(2)
    }
}
