import Foundation
import MaplRender

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
        try Data(logoSVG.utf8).write(to: URL(fileURLWithPath: folder + "/logo-svg.svg"))
        // JupyterLab's launcher and the classic notebook show the PNG sizes.
        for size in [32, 64] {
            guard let png = logoPNG(size: size) else { continue }
            try Data(png).write(to: URL(fileURLWithPath: folder + "/logo-\(size)x\(size).png"))
        }
        return folder
    }

    /// The logo's two chevrons as line segments in its 64-unit square, drawn `logoStroke` wide.
    static let logoSegments: [(Double, Double, Double, Double)] = [(14, 18, 30, 32), (30, 32, 14, 46), (32, 18, 48, 32), (48, 32, 32, 46)]
    static let logoStroke = 6.0

    /// The logo as a `size`×`size` PNG (libpng): the SVG's square and chevrons, each pixel the mean of 4×4 samples.
    static func logoPNG(size: Int) -> [UInt8]? {
        let background: [Double] = [0x1f, 0x3b, 0x57], ink: [Double] = [0xf2, 0xc1, 0x4e]
        func onStroke(_ x: Double, _ y: Double) -> Bool {
            logoSegments.contains { x0, y0, x1, y1 in
                let (dx, dy) = (x1 - x0, y1 - y0)
                let t = max(0, min(1, ((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy)))
                let (px, py) = (x0 + t * dx - x, y0 + t * dy - y)
                return px * px + py * py <= logoStroke * logoStroke / 4
            }
        }
        var pixels = [UInt8]()
        pixels.reserveCapacity(size * size * 3)
        let unit = 64 / Double(size)
        for row in 0..<size {
            for column in 0..<size {
                var covered = 0
                for sy in 0..<4 { for sx in 0..<4 where onStroke((Double(column) + (Double(sx) + 0.5) / 4) * unit, (Double(row) + (Double(sy) + 0.5) / 4) * unit) { covered += 1 } }
                let a = Double(covered) / 16
                for c in 0..<3 { pixels.append(UInt8((background[c] * (1 - a) + ink[c] * a).rounded())) }
            }
        }
        return PNG.rgb(pixels, width: size, height: size)
    }

    /// The logo: `>>`, the composition arrow every mapl program is made of.
    static let logoSVG = """
        <svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">
        <rect width="64" height="64" rx="12" fill="#1f3b57"/>
        <path d="M14 18 L30 32 L14 46 M32 18 L48 32 L32 46" stroke="#f2c14e" stroke-width="6" fill="none" stroke-linecap="round" stroke-linejoin="round"/>
        </svg>
        """
}
