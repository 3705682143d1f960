import Foundation

/// `mapl kernel --install`: writes the kernelspec Jupyter finds the kernel by — a folder `mapl` holding
/// `kernel.json` (how to start it: `argv`, display name, language, `interrupt_mode: message`) and the logos.
public enum KernelSpec {
    /// Where the spec goes: the user's Jupyter data folder (`--user`), `PREFIX/share/jupyter/kernels` (`--prefix`),
    /// else the system-wide `/usr/local/share/jupyter/kernels`.
    public enum Place: Equatable, Sendable {
        case user
        case prefix(String)
        case system
    }

    /// The kernels folder for `place` (`$JUPYTER_DATA_DIR` wins for the user's, as Jupyter reads it).
    public static func kernelsFolder(_ place: Place, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        switch place {
        case .user:
            if let d = environment["JUPYTER_DATA_DIR"], !d.isEmpty { return d + "/kernels" }
            let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.local/share")
            return dataHome + "/jupyter/kernels"
        case .prefix(let p): return p + "/share/jupyter/kernels"
        case .system: return "/usr/local/share/jupyter/kernels"
        }
    }

    /// `kernel.json` for the `mapl` at `executable`.
    public static func json(executable: String) -> JSON {
        [
            "argv": [.string(executable), "kernel", "{connection_file}"],
            "display_name": "mapl",
            "language": "mapl",
            "interrupt_mode": "message",
            "metadata": ["debugger": false],
        ]
    }

    /// Writes the spec into `place` and returns its folder.
    @discardableResult
    public static func install(_ place: Place, executable: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        let folder = kernelsFolder(place, environment: environment) + "/mapl"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var text = json(executable: executable).serialized
        text.append(UInt8(ascii: "\n"))
        try Data(text).write(to: URL(fileURLWithPath: folder + "/kernel.json"))
        for (name, svg) in [("logo-svg.svg", logoSVG)] {
            try Data(svg.utf8).write(to: URL(fileURLWithPath: folder + "/" + name))
        }
        return folder
    }

    /// The logo: `>>`, the composition arrow every mapl program is made of.
    static let logoSVG = """
        <svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">
        <rect width="64" height="64" rx="12" fill="#1f3b57"/>
        <path d="M14 18 L30 32 L14 46 M32 18 L48 32 L32 46" stroke="#f2c14e" stroke-width="6" fill="none" stroke-linecap="round" stroke-linejoin="round"/>
        </svg>
        """
}
