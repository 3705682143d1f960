/// Reads a builtin's signature string — `name(a, b=default, rest...)` — into parameters and default values.
/// Defaults are literals: numbers, `true`, `false`, `none`, or double-quoted strings. A default written as a
/// name or a call of a builtin already known (`loss=cross_entropy`, `opt=adam(model)`) documents a value the
/// builtin computes itself: the implementation sees `none` and `Arguments.given` is false. Any other name is
/// an error, so a typo in a signature is caught.
enum SignatureParser {
    struct Parsed { var name: String; var parameters: [ParameterSpec]; var defaults: [Value?] }

    static func parse(_ signature: String, knownNames: Set<String> = []) throws -> Parsed {
        guard let open = signature.firstIndex(of: "("), signature.hasSuffix(")") else {
            throw RuntimeError("signature must look like name(params)")
        }
        let name = String(signature[..<open])
        let inner = signature[signature.index(after: open)..<signature.index(before: signature.endIndex)]
        var params: [ParameterSpec] = []
        var defaults: [Value?] = []
        for raw in inner.split(separator: ",") {
            let part = raw.trimmedSpaces()
            if part.hasSuffix("...") {
                params.append(ParameterSpec(name: String(part.dropLast(3)), variadic: true))
                defaults.append(nil)
            } else if let eq = part.firstIndex(of: "=") {
                params.append(ParameterSpec(name: String(part[..<eq]).trimmedSpaces(), hasDefault: true))
                defaults.append(try literal(String(part[part.index(after: eq)...]).trimmedSpaces(), knownNames: knownNames))
            } else {
                params.append(ParameterSpec(name: part))
                defaults.append(nil)
            }
        }
        guard !name.isEmpty, params.allSatisfy({ !$0.name.isEmpty }) else { throw RuntimeError("empty name in signature") }
        return Parsed(name: name, parameters: params, defaults: defaults)
    }

    static func literal(_ text: String, knownNames: Set<String> = []) throws -> Value {
        switch text {
        case "none": return .none
        case "true": return .bool(true)
        case "false": return .bool(false)
        default:
            if let x = Double(text) { return .number(x) }
            if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") { return .string(String(text.dropFirst().dropLast())) }
            if let head = computedDefaultHead(text), knownNames.contains(head) { return .none }
            throw RuntimeError("default '\(text)' is not a literal")
        }
    }
}

/// The name in a default written `name` or `name(…)` (see `SignatureParser`), or nil.
private func computedDefaultHead(_ text: String) -> String? {
    let name = text.prefix(while: { $0 == "_" || $0.isLetter || $0.isNumber })
    guard let first = name.first, first == "_" || first.isLetter else { return nil }
    let rest = text.dropFirst(name.count)
    return rest.isEmpty || (rest.hasPrefix("(") && rest.hasSuffix(")")) ? String(name) : nil
}

extension StringProtocol {
    func trimmedSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
