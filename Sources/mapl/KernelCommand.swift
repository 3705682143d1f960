import ArgumentParser
import Foundation
import MaplKernel

/// `mapl kernel CONNECTION_FILE` runs the Jupyter kernel; `mapl kernel --install [--user | --prefix P]`
/// writes its kernelspec.
struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel",
        abstract: "Run mapl as a Jupyter kernel (Jupyter starts it with a connection file), or install its kernelspec.",
        discussion: "mapl kernel --install --user, then: jupyter lab, or jupyter console --kernel mapl.")

    @ArgumentParser.Argument(help: "The connection file Jupyter writes (ports, key, signature scheme).")
    var connectionFile: String?

    @Flag(help: "Write the kernelspec (kernel.json and the logo) instead of running.")
    var install = false

    @Flag(help: "With --install: into the user's Jupyter data folder (~/.local/share/jupyter/kernels).")
    var user = false

    @Option(help: ArgumentHelp("With --install: into PREFIX/share/jupyter/kernels (a virtual environment, a container image).", valueName: "PREFIX"))
    var prefix: String?

    mutating func run() throws {
        if install {
            guard !(user && prefix != nil) else { throw ValidationError("--user and --prefix name different places: give one") }
            let place: KernelSpec.Place = user ? .user : prefix.map { .prefix($0) } ?? .system
            let executable = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.resolvingSymlinksInPath().path
            do {
                let folder = try KernelSpec.install(place, executable: Bundle.main.executablePath ?? executable)
                print("installed the mapl kernelspec in \(folder)")
            } catch {
                FileHandle.standardError.write(Data("mapl: cannot install the kernelspec: \(error.localizedDescription)\n".utf8))
                throw ExitCode(1)
            }
            return
        }
        guard let connectionFile else { throw ValidationError("give the connection file (Jupyter passes it), or --install") }
        do {
            let kernel = try Kernel(connection: try ConnectionFile(path: connectionFile))
            throw ExitCode(kernel.run())
        } catch let exit as ExitCode {
            throw exit
        } catch {
            FileHandle.standardError.write(Data("mapl kernel: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
