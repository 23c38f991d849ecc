#include "model/packed_text.hpp"

#include <zlib.h>

#include <limits>
#include <new>

namespace kactor::model {

std::string pack(std::string_view text) {
  uLongf size = compressBound(uLong(text.size()));
  std::string out(size, '\0');
  // Level 1: this text is re-packed at each watch event; the smaller output of higher levels (a few %)
  // is not worth three times the CPU.
  int rc = compress2(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(text.data()),
                     uLong(text.size()), 1);
  if (rc != Z_OK) // compressBound is enough by zlib's contract: only its own allocation can fail
    throw std::bad_alloc();
  out.resize(size);
  out.shrink_to_fit();
  return out;
}

result<std::string> unpack(std::string_view packed) {
  if (packed.size() > std::numeric_limits<uInt>::max()) // zlib counts input in 32 bits
    return status::invalid("packed text: " + std::to_string(packed.size()) + " bytes, more than one zlib stream holds");
  z_stream zs{};
  if (inflateInit(&zs) != Z_OK)
    return status::invalid("packed text: zlib could not start (out of memory)");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
  zs.avail_in = uInt(packed.size());
  std::string out;
  out.resize(packed.size() * 8 + 64); // JSON deflates to a fifth or less; the copy is short-lived
  int rc = Z_OK;
  while (true) {
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + zs.total_out);
    zs.avail_out = uInt(out.size() - zs.total_out);
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc == Z_STREAM_END)
      break;
    if (rc == Z_OK && zs.avail_out == 0) {
      out.resize(out.size() * 2);
      continue;
    }
    if (rc == Z_BUF_ERROR && zs.avail_in == 0)
      rc = Z_DATA_ERROR; // the stream ended before its end marker
    break;
  }
  auto consumed = packed.size() - zs.avail_in;
  auto produced = zs.total_out;
  const char* why = zs.msg;
  inflateEnd(&zs);
  if (rc != Z_STREAM_END)
    return status::invalid("packed text: not a zlib stream at byte " + std::to_string(consumed) + " of "
                           + std::to_string(packed.size()) + " (" + (why ? why : "truncated") + ")");
  if (consumed != packed.size())
    return status::invalid("packed text: " + std::to_string(packed.size() - consumed) + " bytes after the end of the stream at byte "
                           + std::to_string(consumed));
  out.resize(produced);
  return out;
}

} // namespace kactor::model
