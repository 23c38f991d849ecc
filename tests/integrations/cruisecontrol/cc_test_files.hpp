// Reading the Cruise Control answers the client and decoder tests serve or decode: Strimzi's recordings
// (shared/fixtures/cruise-control/strimzi-mocks) and the hand-written ones beside the tests (data/).
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>

namespace kactor::integrations::cruisecontrol::test {

inline std::string read(const std::filesystem::path& p) {
  std::ifstream in{p, std::ios::binary};
  EXPECT_TRUE(in.good()) << p;
  return {std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
}
/// One of Strimzi's recorded answers, by file name.
inline std::string mock(const std::string& name) {
  return read(std::filesystem::path{KACTOR_FIXTURES_DIR} / "cruise-control" / "strimzi-mocks" / name);
}
/// One of the hand-written answers the recordings lack, by file name.
inline std::string data(const std::string& name) {
  return read(std::filesystem::path{KACTOR_CC_TEST_DATA_DIR} / name);
}
inline bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

} // namespace kactor::integrations::cruisecontrol::test
