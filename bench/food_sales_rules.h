// FS-001's twelve rules as the hand-written baselines write them in records
// (bench/baseline_food_sales.cc, bench/baseline_food_sales_ondemand.cc): the
// text of samples/food_sales/food_sales.rules, in its order.
#pragma once

#include <vector>

#include "bench/baseline_common.h"

namespace baseline {

inline constexpr const char* kFoodSafetyLaw = "《中华人民共和国食品安全法》第三十五条";

inline const std::vector<Rule> kFoodSalesRules = {
    {"AGE", "申请人须年满18周岁", kFoodSafetyLaw, true},
    {"ID_NUMBER", "身份证号码校验不通过", "GB 11643-1999", true},
    {"ID_BIRTH", "身份证号码中的出生日期与申报的出生日期不一致，转人工核实", kFoodSafetyLaw, false},
    {"USCC", "统一社会信用代码校验不通过", "GB 32100-2015", true},
    {"BLACKLIST", "经营者被列入严重失信主体名单", kFoodSafetyLaw, true},
    {"DISTRICT", "经营场所不在佛山市辖区", kFoodSafetyLaw, true},
    {"SCOPE", "营业执照经营范围未包含预包装食品销售", kFoodSafetyLaw, true},
    {"LICENCE", "未查到有效营业执照，转人工核验", kFoodSafetyLaw, false},
    {"HEALTH", "从业人员健康证明已过期", kFoodSafetyLaw, false},
    {"STAFF_COUNT", "从业人员人数需人工核实", kFoodSafetyLaw, false},
    {"AREA", "经营场所面积不足10平方米", kFoodSafetyLaw, false},
    {"PHONE", "联系电话格式不正确", kFoodSafetyLaw, false},
};

}  // namespace baseline
