/// CSV that opens safely in a spreadsheet: RFC 4180 quoting, and formula injection neutralised.
public enum CSV {
  /// One field: a value starting with `=`, `+`, `-`, `@`, tab or CR is prefixed with an apostrophe so a
  /// spreadsheet shows it as text instead of running it; a field with a comma, quote, CR or LF is quoted
  /// with its quotes doubled.
  public static func field(_ value: String) -> String {
    var bytes: [UInt8] = []
    append(field: value, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// A whole record, terminated by CRLF as RFC 4180 specifies.
  public static func row(_ fields: [String]) -> String {
    var bytes: [UInt8] = []
    append(row: fields, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Appends a whole record to `bytes` (exports build rows in their output buffer, without interim strings).
  public static func append(row fields: [String], to bytes: inout [UInt8]) {
    for (index, field) in fields.enumerated() {
      if index > 0 { bytes.append(UInt8(ascii: ",")) }
      append(field: field, to: &bytes)
    }
    bytes.append(0x0D)
    bytes.append(0x0A)
  }

  /// Appends one field, neutralised and quoted as ``field(_:)`` describes.
  static func append(field value: String, to bytes: inout [UInt8]) {
    // Bytes, not Characters: exports run over millions of fields, and every byte tested here is ASCII.
    var value = value
    value.withUTF8 { utf8 in
      let first = utf8.first
      let neutralise = first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
        || first == UInt8(ascii: "@") || first == 0x09 || first == 0x0D
      let needsQuotes = utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0D || $0 == 0x0A }
      if needsQuotes { bytes.append(UInt8(ascii: "\"")) }
      if neutralise { bytes.append(UInt8(ascii: "'")) }
      if needsQuotes {
        for byte in utf8 {
          if byte == UInt8(ascii: "\"") { bytes.append(byte) }
          bytes.append(byte)
        }
        bytes.append(UInt8(ascii: "\""))
      } else {
        bytes.append(contentsOf: utf8)
      }
    }
  }

  /// A number for a score column: no sign-leading text, so it needs no neutralising.
  public static func number(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
  }
}
