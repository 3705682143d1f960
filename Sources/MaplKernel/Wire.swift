/// A message as ZeroMQ frames, and back:
///
///     [identities…, "<IDS|MSG>", signature, header, parent_header, metadata, content, buffers…]
///
/// Reading checks the signature before anything is parsed: a message that is unsigned, wrongly signed or
/// malformed is refused with a reason (the kernel logs it and drops the message; nothing in it runs).
public enum Wire {
    static let delimiter = Array("<IDS|MSG>".utf8)

    /// Why frames were refused.
    public enum Refusal: Error, CustomStringConvertible, Equatable {
        case noDelimiter
        case tooFewFrames(Int)
        case badSignature
        case malformed(String)

        public var description: String {
            switch self {
            case .noDelimiter: return "no <IDS|MSG> delimiter"
            case .tooFewFrames(let n): return "\(n) frames after the delimiter (a message has at least 5)"
            case .badSignature: return "missing or wrong signature"
            case .malformed(let why): return "malformed: \(why)"
            }
        }
    }

    public static func encode(_ message: Message, signer: Signer) -> [[UInt8]] {
        let parts = [message.header.serialized, message.parentHeader.serialized, message.metadata.serialized, message.content.serialized]
        return message.identities + [delimiter, signer.signature(parts)] + parts + message.buffers
    }

    public static func decode(_ frames: [[UInt8]], signer: Signer) throws(Refusal) -> Message {
        guard let split = frames.firstIndex(of: delimiter) else { throw .noDelimiter }
        let rest = frames[(split + 1)...]
        guard rest.count >= 5 else { throw .tooFewFrames(rest.count) }
        let signature = rest[rest.startIndex]
        let parts = Array(rest[(rest.startIndex + 1)..<(rest.startIndex + 5)])
        guard signer.verify(signature, parts) else { throw .badSignature }
        var json: [JSON] = []
        for (part, name) in zip(parts, ["header", "parent_header", "metadata", "content"]) {
            do {
                let value = try JSON(parsing: part)
                guard case .object = value else { throw Refusal.malformed("\(name) is not a JSON object") }
                json.append(value)
            } catch let refusal as Refusal {
                throw refusal
            } catch {
                throw .malformed("\(name): \(error)")
            }
        }
        guard json[0]["msg_type"]?.string != nil else { throw .malformed("the header has no msg_type") }
        return Message(identities: Array(frames[..<split]), header: json[0], parentHeader: json[1], metadata: json[2], content: json[3],
                       buffers: Array(rest.dropFirst(5)))
    }
}
