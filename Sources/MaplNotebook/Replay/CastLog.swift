import Foundation

/// The side channel of `mapl replay --cast`: the notebook playing on the recorder's pseudo-terminal says
/// where the replay is (a chapter begins, the replay ended) in a file of lines, so nothing but the frames
/// themselves goes through the terminal.
public enum CastLog {
    public static func append(_ lines: [String], to path: String?) {
        guard let path, !lines.isEmpty, let handle = FileHandle(forWritingAtPath: path) else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: Data(lines.map { $0.replacingOccurrences(of: "\n", with: " ") + "\n" }.joined().utf8))
    }
}
