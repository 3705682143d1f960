import Foundation

/// NumPy for the cross-checks that compute expected values outside mapl. The Python is `$MAPL_PYTHON`, else
/// the CI virtual environment `.ci/deps` makes (`.venv-ci/bin/python3`, numpy from PyPI), else `python3` on
/// the PATH — the first that imports numpy. Without one the test skips, or under CI fails (`RealData`).
public enum NumPy {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The Python that has numpy, found once.
    private static let python: [String]? = {
        var candidates: [[String]] = []
        if let p = ProcessInfo.processInfo.environment["MAPL_PYTHON"], !p.isEmpty { candidates.append([p]) }
        candidates.append([root.appendingPathComponent(".venv-ci/bin/python3").path])
        candidates.append(["/usr/bin/env", "python3"])
        return candidates.first { command in
            guard command.count > 1 || FileManager.default.isExecutableFile(atPath: command[0]) else { return false }
            return (try? Subprocess.run(command + ["-c", "import numpy"]))?.status == 0
        }
    }()

    /// What `script` prints given `input` on its standard input; skips (fails under CI) without NumPy, and
    /// throws with Python's own message when the script fails.
    public static func run(_ script: String, input: String? = nil) throws -> String {
        guard let python else {
            try RealData.unavailable("python3 with numpy is not available (bash .ci/deps makes .venv-ci; or set MAPL_PYTHON)")
        }
        let result = try Subprocess.run(python + ["-c", script], input: input)
        guard result.status == 0 else { throw Failure(description: "the NumPy script failed: \(result.error)") }
        return result.output
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }
}
