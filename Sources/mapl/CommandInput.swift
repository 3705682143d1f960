import ArgumentParser
import Foundation
import MaplLang

/// What every subcommand does with the file it is given: read it through `SourceFile` (whose errors say why:
/// missing, a directory, not UTF-8, …) or stop with that message and status 2; name a file's skipped lines.
enum CommandInput {
    /// The file's text, or exit 2 with `mapl: <why>` on standard error.
    static func read(_ path: String) throws -> String {
        do { return try SourceFile.read(path, pipes: true) } catch {
            FileHandle.standardError.write(Data("mapl: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }

    /// Each warning on standard error, after the file's name.
    static func warn(_ warnings: [String], in path: String) {
        for warning in warnings { FileHandle.standardError.write(Data("\(path): \(warning)\n".utf8)) }
    }
}
