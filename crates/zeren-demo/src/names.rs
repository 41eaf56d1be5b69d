//! Invented but plausible Chinese personal names, combined deterministically from
//! common surnames and given-name characters.
use rand::Rng;

/// The most common surnames first; the first 20 are drawn more often.
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏",
    "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛", "闫", "段", "雷", "侯",
    "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万", "钱", "严", "武", "戴", "孔",
];

const MALE: &[&str] = &[
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华", "飞",
    "鑫", "波", "宁", "浩", "凯", "健", "俊", "峰", "建", "国", "东", "志", "海", "宇", "晨", "洋",
    "毅", "亮", "成", "龙", "博", "振", "彬", "锋", "军", "德", "庆", "忠", "盛", "林",
];

const FEMALE: &[&str] = &[
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "婷", "雪", "慧", "莉", "萍", "红",
    "琳", "颖", "倩", "洁", "琴", "云", "梅", "欣", "悦", "蕾", "薇", "璐", "晶", "月", "彤", "瑶",
    "怡", "丹", "岚", "荣", "秀", "英", "兰", "菲", "媛", "婧",
];

const NEUTRAL: &[&str] = &[
    "晓", "春", "秋", "永", "玉", "子", "文", "新", "立", "金", "天", "思", "雨", "佳", "嘉", "建",
    "志", "海", "小", "学", "亚", "丽", "宏", "少", "俊", "明", "晓", "慧", "一", "家",
];

pub fn gender<R: Rng>(rng: &mut R, female_share: f64) -> &'static str {
    if rng.gen_bool(female_share) {
        "女"
    } else {
        "男"
    }
}

/// A name for a person of `gender` ("男"/"女").
pub fn person_name<R: Rng>(rng: &mut R, gender: &str) -> String {
    let mut s = String::with_capacity(9);
    let surname = if rng.gen_bool(0.5) {
        SURNAMES[rng.gen_range(0..20)]
    } else {
        SURNAMES[rng.gen_range(0..SURNAMES.len())]
    };
    s.push_str(surname);
    let pool = if gender == "女" { FEMALE } else { MALE };
    if rng.gen_bool(0.3) {
        s.push_str(pool[rng.gen_range(0..pool.len())]);
    } else {
        if rng.gen_bool(0.5) {
            s.push_str(NEUTRAL[rng.gen_range(0..NEUTRAL.len())]);
        } else {
            s.push_str(pool[rng.gen_range(0..pool.len())]);
        }
        s.push_str(pool[rng.gen_range(0..pool.len())]);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn names_are_two_or_three_characters_and_repeatable() {
        let mut a = rand::rngs::SmallRng::seed_from_u64(7);
        let mut b = rand::rngs::SmallRng::seed_from_u64(7);
        for _ in 0..200 {
            let g = gender(&mut a, 0.5);
            let n = person_name(&mut a, g);
            assert!((2..=3).contains(&n.chars().count()), "{n}");
            let g2 = gender(&mut b, 0.5);
            assert_eq!(n, person_name(&mut b, g2));
        }
    }
}
