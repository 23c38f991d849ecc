#include "sim/world/api_server/protobuf.hpp"
#include "sim/world/encoding.hpp"

#include <cstdint>
#include <map>
#include <string_view>

namespace kactor::sim {

namespace {

using json = nlohmann::json;

/// How one field of a message maps to JSON.
enum class field_kind { string, integer, boolean, bytes, message, string_map, bytes_map, strings, messages };

struct field_def {
  std::string name;
  field_kind kind;
  const std::map<uint32_t, field_def>* schema = nullptr; ///< for message / messages
};

using schema = std::map<uint32_t, field_def>;

const schema owner_reference = {{1, {"kind", field_kind::string}},       {3, {"name", field_kind::string}},
                                {4, {"uid", field_kind::string}},        {5, {"apiVersion", field_kind::string}},
                                {6, {"controller", field_kind::boolean}}, {7, {"blockOwnerDeletion", field_kind::boolean}}};
const schema object_meta = {{1, {"name", field_kind::string}},
                            {2, {"generateName", field_kind::string}},
                            {3, {"namespace", field_kind::string}},
                            {5, {"uid", field_kind::string}},
                            {6, {"resourceVersion", field_kind::string}},
                            {7, {"generation", field_kind::integer}},
                            {11, {"labels", field_kind::string_map}},
                            {12, {"annotations", field_kind::string_map}},
                            {13, {"ownerReferences", field_kind::messages, &owner_reference}},
                            {14, {"finalizers", field_kind::strings}}};
const schema namespace_spec = {{1, {"finalizers", field_kind::strings}}};
const schema namespace_kind = {{1, {"metadata", field_kind::message, &object_meta}},
                               {2, {"spec", field_kind::message, &namespace_spec}}};
const schema configmap_kind = {{1, {"metadata", field_kind::message, &object_meta}},
                               {2, {"data", field_kind::string_map}},
                               {3, {"binaryData", field_kind::bytes_map}},
                               {4, {"immutable", field_kind::boolean}}};
const schema secret_kind = {{1, {"metadata", field_kind::message, &object_meta}},
                            {2, {"data", field_kind::bytes_map}},
                            {3, {"type", field_kind::string}},
                            {4, {"stringData", field_kind::string_map}},
                            {5, {"immutable", field_kind::boolean}}};

struct decode_error {
  std::string message;
};

class reader {
public:
  reader(std::string_view data, size_t base) : data_(data), base_(base) {}
  bool done() const { return pos_ >= data_.size(); }

  uint64_t varint() {
    uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= data_.size())
        fail("truncated varint");
      auto byte = static_cast<uint8_t>(data_[pos_++]);
      value |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80))
        return value;
    }
    fail("varint longer than 10 bytes");
    return 0;
  }

  std::string_view bytes() {
    auto n = varint();
    if (n > data_.size() - pos_)
      fail("length " + std::to_string(n) + " runs past the end");
    auto out = data_.substr(pos_, n);
    pos_ += n;
    return out;
  }

  void skip(uint32_t wire_type) {
    switch (wire_type) {
      case 0: varint(); break;
      case 1: advance(8); break;
      case 2: bytes(); break;
      case 5: advance(4); break;
      default: fail("unsupported wire type " + std::to_string(wire_type));
    }
  }

  size_t offset() const { return base_ + pos_; }
  [[noreturn]] void fail(const std::string& what) const {
    throw decode_error{"protobuf body, byte " + std::to_string(offset()) + ": " + what};
  }

private:
  void advance(size_t n) {
    if (n > data_.size() - pos_)
      fail("truncated fixed-size field");
    pos_ += n;
  }
  std::string_view data_;
  size_t base_;
  size_t pos_ = 0;
};

json decode_message(std::string_view data, size_t base, const schema& s, int depth);

std::pair<std::string, std::string_view> map_entry(std::string_view data, size_t base) {
  reader r{data, base};
  std::string key;
  std::string_view value;
  while (!r.done()) {
    auto tag = r.varint();
    if ((tag & 7) == 2 && (tag >> 3) == 1)
      key = std::string{r.bytes()};
    else if ((tag & 7) == 2 && (tag >> 3) == 2)
      value = r.bytes();
    else
      r.skip(static_cast<uint32_t>(tag & 7));
  }
  return {key, value};
}

json decode_message(std::string_view data, size_t base, const schema& s, int depth) {
  reader r{data, base};
  if (depth > 16)
    r.fail("nesting too deep");
  json out = json::object();
  while (!r.done()) {
    auto tag = r.varint();
    auto number = static_cast<uint32_t>(tag >> 3);
    auto wire = static_cast<uint32_t>(tag & 7);
    auto it = s.find(number);
    if (it == s.end()) {
      r.skip(wire);
      continue;
    }
    const auto& f = it->second;
    bool varint_kind = f.kind == field_kind::integer || f.kind == field_kind::boolean;
    if (varint_kind != (wire == 0) || (!varint_kind && wire != 2))
      r.fail("field " + f.name + " has wire type " + std::to_string(wire));
    size_t at = r.offset();
    switch (f.kind) {
      case field_kind::string: out[f.name] = std::string{r.bytes()}; break;
      case field_kind::integer: out[f.name] = static_cast<int64_t>(r.varint()); break;
      case field_kind::boolean: out[f.name] = r.varint() != 0; break;
      case field_kind::bytes: out[f.name] = base64(r.bytes()); break;
      case field_kind::strings: out[f.name].push_back(std::string{r.bytes()}); break;
      case field_kind::message: out[f.name] = decode_message(r.bytes(), at, *f.schema, depth + 1); break;
      case field_kind::messages: out[f.name].push_back(decode_message(r.bytes(), at, *f.schema, depth + 1)); break;
      case field_kind::string_map:
      case field_kind::bytes_map: {
        auto [k, v] = map_entry(r.bytes(), at);
        out[f.name][k] = f.kind == field_kind::string_map ? json(std::string{v}) : json(base64(v));
        break;
      }
    }
  }
  return out;
}

} // namespace

model::result<nlohmann::json> decode_kubernetes_protobuf(const std::string& body) {
  static constexpr std::string_view magic{"k8s\0", 4};
  if (body.size() < 4 || std::string_view{body}.substr(0, 4) != magic)
    return model::status::invalid("protobuf body, byte 0: missing the \"k8s\\0\" magic prefix");
  try {
    reader envelope{std::string_view{body}.substr(4), 4};
    std::string api_version, kind;
    std::string_view raw;
    size_t raw_at = 0;
    while (!envelope.done()) {
      auto tag = envelope.varint();
      if (tag == ((1 << 3) | 2)) {
        reader tm{envelope.bytes(), envelope.offset()};
        while (!tm.done()) {
          auto t = tm.varint();
          if (t == ((1 << 3) | 2))
            api_version = std::string{tm.bytes()};
          else if (t == ((2 << 3) | 2))
            kind = std::string{tm.bytes()};
          else
            tm.skip(static_cast<uint32_t>(t & 7));
        }
      } else if (tag == ((2 << 3) | 2)) {
        raw_at = envelope.offset();
        raw = envelope.bytes();
      } else {
        envelope.skip(static_cast<uint32_t>(tag & 7));
      }
    }
    const schema* s = kind == "Namespace" ? &namespace_kind : kind == "ConfigMap" ? &configmap_kind
                      : kind == "Secret"  ? &secret_kind    : nullptr;
    if (api_version != "v1" || !s)
      return model::status::unsupported("protobuf bodies are decoded for v1 Namespace, ConfigMap and Secret only, not "
                                        + api_version + " " + kind + "; send JSON (kubectl create -f)");
    json out = decode_message(raw, raw_at, *s, 0);
    out["apiVersion"] = api_version;
    out["kind"] = kind;
    return out;
  } catch (const decode_error& e) {
    return model::status::invalid(e.message);
  }
}

} // namespace kactor::sim
