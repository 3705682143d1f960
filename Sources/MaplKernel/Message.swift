import Foundation

/// One message of the Jupyter messaging protocol (5.x): its header, the header of the request it answers,
/// metadata and content, and the ZeroMQ identities of the peer it came from (replies go back to them).
public struct Message: Sendable {
    /// The protocol version the kernel speaks.
    public static let protocolVersion = "5.3"

    public var identities: [[UInt8]]
    public var header: JSON
    public var parentHeader: JSON
    public var metadata: JSON
    public var content: JSON
    public var buffers: [[UInt8]]

    public var type: String { header["msg_type"]?.string ?? "" }
    public var id: String { header["msg_id"]?.string ?? "" }
    /// The client's session id: replies carry it back in their parent header.
    public var session: String { header["session"]?.string ?? "" }

    public init(identities: [[UInt8]] = [], header: JSON, parentHeader: JSON = [:], metadata: JSON = [:], content: JSON = [:], buffers: [[UInt8]] = []) {
        self.identities = identities; self.header = header; self.parentHeader = parentHeader
        self.metadata = metadata; self.content = content; self.buffers = buffers
    }

    /// A new message of `type` from the kernel's session `session`, answering `parent` (nil: none, as the
    /// kernel's first `starting` status).
    public init(type: String, content: JSON, parent: Message?, session: String, metadata: JSON = [:]) {
        self.init(identities: parent?.identities ?? [],
                  header: Message.header(type: type, session: session),
                  parentHeader: parent?.header ?? [:],
                  metadata: metadata, content: content)
    }

    static func header(type: String, session: String) -> JSON {
        [
            "msg_id": .string(UUID().uuidString.lowercased()),
            "session": .string(session),
            "username": "mapl",
            "date": .string(Message.timestamp()),
            "msg_type": .string(type),
            "version": .string(protocolVersion),
        ]
    }

    /// ISO 8601 with microseconds in UTC, as the protocol's `date` asks.
    static func timestamp(_ date: Date = Date()) -> String {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        let micros = Int((date.timeIntervalSince1970 - Double(t)) * 1e6)
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                      Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), min(max(micros, 0), 999_999))
    }
}
