#include "actors/retry_policy.hpp"

#include <gtest/gtest.h>

using namespace kactor::actors;
using std::chrono::milliseconds;

TEST(RetryPolicy, DoublesPerAttemptUpToTheCap) {
  actor_settings s;
  s.respawn_base = milliseconds{200};
  s.backoff_max = milliseconds{1000};
  EXPECT_EQ(retry_delay(s, retry_reason::child_crashed, 1), milliseconds{200});
  EXPECT_EQ(retry_delay(s, retry_reason::child_crashed, 2), milliseconds{400});
  EXPECT_EQ(retry_delay(s, retry_reason::child_crashed, 3), milliseconds{800});
  EXPECT_EQ(retry_delay(s, retry_reason::child_crashed, 4), milliseconds{1000});
  EXPECT_EQ(retry_delay(s, retry_reason::child_crashed, 1000), milliseconds{1000}) << "no overflow";
  EXPECT_EQ(retry_delay(s, retry_reason::child_crashed, 0), milliseconds{200}) << "attempt 0 counts as the first";
}

TEST(RetryPolicy, JitteredRulesStayWithinHalfToTheFullDelay) {
  actor_settings s;
  s.backoff_base = milliseconds{1000};
  s.backoff_max = milliseconds{60000};
  for (int attempt = 1; attempt <= 8; ++attempt)
    for (int i = 0; i < 50; ++i) {
      auto full = std::min<int64_t>(1000LL << (attempt - 1), 60000);
      auto d = retry_delay(s, retry_reason::write_failed, attempt).count();
      EXPECT_GE(d, full / 2) << "attempt " << attempt;
      EXPECT_LE(d, full) << "attempt " << attempt;
    }
}

TEST(RetryPolicy, FixedRulesDoNotGrow) {
  actor_settings s;
  EXPECT_EQ(retry_delay(s, retry_reason::spec_edit_written, 5), retry_delay(s, retry_reason::spec_edit_written, 1));
  EXPECT_EQ(retry_delay(s, retry_reason::operation_write_failed, 9), s.backoff_base);
}
