// The identities both application generators draw from (gen_food_sales,
// gen_wide): ID numbers valid under GB 11643 with their birth dates, credit
// codes valid under GB 32100, Foshan's districts and some names.
#pragma once

namespace bench {

inline const char* const kIds[] = {"440605199909090018", "440605198003030022", "440605197511110016",
                                   "440605196006060033", "440604198808080020", "440606199001010010",
                                   "440607198505050026", "440608197007070018"};
inline const char* const kBirths[] = {"1999-09-09", "1980-03-03", "1975-11-11", "1960-06-06",
                                      "1988-08-08", "1990-01-01", "1985-05-05", "1970-07-07"};
inline const char* const kUsccs[] = {"92440605MA4WXY1294", "91440605MA4WXY1297", "92440605L23456783J",
                                     "91440605L23456783M"};
inline const char* const kDistricts[] = {"440604", "440605", "440606", "440607", "440608"};
inline const char* const kNames[] = {"张伟", "王芳", "李娜", "刘强", "陈静", "杨洋", "黄敏", "赵磊"};

}  // namespace bench
