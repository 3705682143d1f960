import Foundation

/// The kernel's log: lines on standard error, which Jupyter keeps in its own log (the server's console,
/// `jupyter console --debug`). Refused messages and failures go here; nothing here reaches a notebook.
enum KernelLog {
    static func write(_ line: String) {
        FileHandle.standardError.write(Data("[mapl kernel] \(line)\n".utf8))
    }
}
