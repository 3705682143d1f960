import Foundation

/// What Jupyter tells a kernel it starts (`mapl kernel CONNECTION_FILE`): where to bind its five sockets and
/// how to sign messages. The file is JSON: `transport` (`tcp` or `ipc`), `ip`, the five ports, `key` and
/// `signature_scheme` (`hmac-sha256`; an empty key turns signing off).
public struct ConnectionFile: Sendable, Equatable {
    public var transport: String
    public var ip: String
    public var shellPort: Int
    public var controlPort: Int
    public var iopubPort: Int
    public var stdinPort: Int
    public var heartbeatPort: Int
    public var key: [UInt8]
    public var signatureScheme: String

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads the connection file at `path`.
    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw Invalid(description: "cannot read the connection file \(path)") }
        do { try self.init(json: try JSON(parsing: [UInt8](data))) } catch let e as Invalid {
            throw Invalid(description: "\(path): \(e.description)")
        } catch {
            throw Invalid(description: "\(path): \(error)")
        }
    }

    public init(json: JSON) throws {
        func port(_ name: String) throws -> Int {
            guard let p = json[name]?.int, (1...65535).contains(p) else { throw Invalid(description: "\(name) must be a port number (1 to 65535)") }
            return p
        }
        transport = json["transport"]?.string ?? "tcp"
        guard transport == "tcp" || transport == "ipc" else { throw Invalid(description: "transport must be tcp or ipc, not \(transport)") }
        ip = json["ip"]?.string ?? "127.0.0.1"
        shellPort = try port("shell_port")
        controlPort = try port("control_port")
        iopubPort = try port("iopub_port")
        stdinPort = try port("stdin_port")
        heartbeatPort = try port("hb_port")
        key = Array((json["key"]?.string ?? "").utf8)
        signatureScheme = json["signature_scheme"]?.string ?? "hmac-sha256"
        guard key.count <= 4096 else { throw Invalid(description: "the key is longer than 4096 bytes") }
        guard key.isEmpty || signatureScheme == "hmac-sha256" else {
            throw Invalid(description: "signature_scheme \(signatureScheme) is not supported (only hmac-sha256)")
        }
    }

    /// The ZeroMQ address of a port: `tcp://127.0.0.1:5555`, or `ipc://path-5555` (ipc names a file).
    public func address(_ port: Int) -> String {
        transport == "ipc" ? "ipc://\(ip)-\(port)" : "tcp://\(ip):\(port)"
    }
}
