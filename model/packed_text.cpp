#include "model/packed_text.hpp"

#include <zlib.h>

#include <limits>
#include <new>

namespace kactor::model {

namespace {

// One zlib stream per thread, reset between uses: deflateInit allocates ~256 KB of state (window, hash
// chains) and zeroes part of it, which for a 3 KB text cost 40 times the compression itself — at a restart
// over 3,000 brokers, packing the listed objects took 8 of 10 seconds. The bytes are the same as
// compress2's (a zlib stream, level 1).
struct deflater {
  z_stream zs{};
  bool ready = false;
  deflater() { ready = deflateInit(&zs, 1) == Z_OK; }
  ~deflater() {
    if (ready)
      deflateEnd(&zs);
  }
};

struct inflater {
  z_stream zs{};
  bool ready = false;
  inflater() { ready = inflateInit(&zs) == Z_OK; }
  ~inflater() {
    if (ready)
      inflateEnd(&zs);
  }
};

} // namespace

std::string pack(std::string_view text, std::string_view dictionary) {
  // Level 1: this text is re-packed at each watch event; the smaller output of higher levels (a few %)
  // is not worth three times the CPU.
  thread_local deflater d;
  if (!d.ready || text.size() > std::numeric_limits<uInt>::max())
    throw std::bad_alloc(); // zlib could not allocate its state; no text kactor packs is 4 GiB
  deflateReset(&d.zs);
  if (dictionary.size() > std::numeric_limits<uInt>::max())
    dictionary = dictionary.substr(dictionary.size() - (1u << 15)); // zlib keeps the last 32 KB anyway
  if (!dictionary.empty()
      && deflateSetDictionary(&d.zs, reinterpret_cast<const Bytef*>(dictionary.data()), uInt(dictionary.size())) != Z_OK)
    throw std::bad_alloc(); // only a stream in the wrong state refuses it, and this one was just reset
  std::string out(deflateBound(&d.zs, uLong(text.size())), '\0');
  d.zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  d.zs.avail_in = uInt(text.size());
  d.zs.next_out = reinterpret_cast<Bytef*>(out.data());
  d.zs.avail_out = uInt(out.size());
  if (deflate(&d.zs, Z_FINISH) != Z_STREAM_END) // deflateBound is enough by zlib's contract
    throw std::bad_alloc();
  out.resize(d.zs.total_out);
  out.shrink_to_fit();
  return out;
}

result<std::string> unpack(std::string_view packed, std::string_view dictionary) {
  if (packed.size() > std::numeric_limits<uInt>::max()) // zlib counts input in 32 bits
    return status::invalid("packed text: " + std::to_string(packed.size()) + " bytes, more than one zlib stream holds");
  thread_local inflater inf;
  if (!inf.ready)
    return status::invalid("packed text: zlib could not start (out of memory)");
  inflateReset(&inf.zs);
  auto& zs = inf.zs;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
  zs.avail_in = uInt(packed.size());
  std::string out;
  // JSON deflates to a fifth or less, with a dictionary to a tenth; the copy is short-lived.
  out.resize(packed.size() * (dictionary.empty() ? 8 : 16) + 64);
  int rc = Z_OK;
  while (true) {
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + zs.total_out);
    zs.avail_out = uInt(out.size() - zs.total_out);
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc == Z_STREAM_END)
      break;
    if (rc == Z_NEED_DICT) {
      auto consumed = std::to_string(packed.size() - zs.avail_in);
      if (dictionary.empty())
        return status::invalid("packed text: packed with a dictionary, none given (byte " + consumed + ")");
      if (dictionary.size() > std::numeric_limits<uInt>::max())
        dictionary = dictionary.substr(dictionary.size() - (1u << 15));
      if (inflateSetDictionary(&zs, reinterpret_cast<const Bytef*>(dictionary.data()), uInt(dictionary.size())) != Z_OK)
        return status::invalid("packed text: packed with another dictionary than the one given (byte " + consumed + ")");
      continue;
    }
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
