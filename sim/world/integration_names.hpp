#pragma once
// The simulated world stands in for the systems behind the integrations' ports and speaks their types; these
// are the short names it uses for them (kactor::sim is not inside kactor::integrations).

namespace kactor::integrations::http {}
namespace kactor::integrations::kafka {}
namespace kactor::integrations::cruisecontrol {}
namespace kactor::integrations::kubernetes {}

namespace kactor::sim {
namespace http = integrations::http;
namespace kafka = integrations::kafka;
namespace cruisecontrol = integrations::cruisecontrol;
namespace kubernetes = integrations::kubernetes;
} // namespace kactor::sim
