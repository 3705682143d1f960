import XCTest
@testable import MaplLang
final class MaplLangSmokeTests: XCTestCase { func testLinks() {} }
