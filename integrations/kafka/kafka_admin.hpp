// The Kafka admin port is public (embedders may implement it): see include/kactor/kafka_admin.hpp.
#pragma once

#include "kactor/kafka_admin.hpp"
