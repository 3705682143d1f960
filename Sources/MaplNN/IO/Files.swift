import Foundation

/// Whole-file reads and writes with error messages that name the file — the one place data and weight
/// loaders touch the file system, so every "cannot read" message reads the same.
public enum Files {
    /// The bytes of the file at `path`; throws naming the path when it is missing, a folder or unreadable.
    public static func read(_ path: String) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TensorError("cannot read '\(path)': no such file")
        }
        if isDirectory.boolValue { throw TensorError("cannot read '\(path)': it is a folder, not a file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TensorError("cannot read '\(path)': permission denied or unreadable")
        }
        return [UInt8](data)
    }

    /// Writes `bytes` to `path` atomically (a temporary file renamed into place, so a failed write never leaves
    /// half a weights file behind); throws naming the path.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw TensorError("cannot write '\(path)': \(error.localizedDescription)")
        }
    }

    /// True when a regular file exists at `path`.
    public static func exists(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }
}
