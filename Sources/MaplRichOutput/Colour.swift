/// An sRGB colour, 8 bits a channel, shared by the PNG pictures and the SVG charts so both use one palette.
struct Colour: Equatable {
    var red: UInt8, green: UInt8, blue: UInt8

    static let page = Colour(red: 255, green: 255, blue: 255)
    static let ink = Colour(red: 34, green: 34, blue: 34)
    static let faint = Colour(red: 200, green: 200, blue: 200)
    static let right = Colour(red: 15, green: 140, blue: 70)
    static let wrong = Colour(red: 205, green: 50, blue: 40)
    /// One colour per series, in order (Tableau's first five, readable on white and told apart in grey).
    static let series = [Colour(red: 31, green: 119, blue: 180), Colour(red: 255, green: 127, blue: 14),
                         Colour(red: 44, green: 160, blue: 44), Colour(red: 214, green: 39, blue: 40),
                         Colour(red: 148, green: 103, blue: 189)]
    static func series(_ k: Int) -> Colour { series[k % series.count] }

    static func grey(_ level: UInt8) -> Colour { Colour(red: level, green: level, blue: level) }

    /// `#1f77b4`, for SVG.
    var hex: String {
        let digits = Array("0123456789abcdef")
        return "#" + String([red, green, blue].flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
    }
}
