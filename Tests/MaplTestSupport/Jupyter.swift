import Foundation

/// The Jupyter project's Python tools for checking the mapl kernel: jupyter_client, jupyter_kernel_test,
/// nbclient, nbformat. The Python is `$MAPL_PYTHON`, else the CI virtual environment `.ci/deps` makes
/// (`.venv-ci/bin/python3`, from PyPI) — the first that imports them all. Without one the test skips, or
/// under CI fails (`RealData`).
public enum Jupyter {
    /// The repository's root, where the Python test files are (`Tests/Kernel/`).
    public static var root: URL { NumPy.root }

    private static let python: String? = {
        var candidates: [String] = []
        if let p = ProcessInfo.processInfo.environment["MAPL_PYTHON"], !p.isEmpty { candidates.append(p) }
        candidates.append(root.appendingPathComponent(".venv-ci/bin/python3").path)
        return candidates.first { python in
            FileManager.default.isExecutableFile(atPath: python)
                && (try? Subprocess.run([python, "-c", "import jupyter_client, jupyter_kernel_test, nbclient, nbformat, zmq"]))?.status == 0
        }
    }()

    /// Runs `arguments` with the Python that has the tools, in the repository's root, with `environment`
    /// added to this process's; skips (fails under CI) without one.
    public static func run(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, output: String, error: String) {
        guard let python else {
            try RealData.unavailable("python3 with jupyter_client, jupyter-kernel-test, nbclient and nbformat is not available (bash .ci/deps makes .venv-ci; or set MAPL_PYTHON)")
        }
        let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        return try Subprocess.run([python] + arguments, environment: merged, directory: root.path)
    }
}
