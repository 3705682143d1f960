/// A failure reading or writing data — files, formats (gzip, IDX, NPY, safetensors, CSV, JSON) and
/// downloads — with a message that names the file and what is wrong with it.
public struct DataError: UserFacingError, CustomStringConvertible, Equatable, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
