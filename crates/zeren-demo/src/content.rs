//! The words of the demo: organisations, titles, problems and measures, drawn from the
//! seed documents (committee reports, interview answers, the research report).

pub const ROOT_NAME: &str = "市卫生健康委员会党委";
pub const ROOT_CODE: &str = "WJW";
pub const PLAN_TEMPLATE: &str = "health-commission-annual";

/// What kind of institution a unit is: decides its leaders' titles and its members'.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitType {
    Hospital,
    Cdc,
    Station,
    Supervision,
    Organ,
}

pub struct UnitSpec {
    pub name: &'static str,
    /// Who acts for the unit in records written without an account of its own.
    pub office: &'static str,
    pub kind: UnitType,
    /// Title of the unit head (who is also deputy secretary).
    pub head: &'static str,
    pub branches: &'static [&'static str],
    /// Groups under some branches: (branch index, group names).
    pub groups: &'static [(usize, &'static [&'static str])],
}

pub const UNITS: &[UnitSpec] = &[
    UnitSpec {
        name: "市第一人民医院党委",
        office: "市第一人民医院党委办公室",
        kind: UnitType::Hospital,
        head: "院长、党委副书记",
        branches: &[
            "内科第一党支部",
            "内科第二党支部",
            "外科党支部",
            "医技党支部",
            "护理党支部",
            "行政后勤党支部",
        ],
        groups: &[
            (0, &["心血管内科党小组", "呼吸内科党小组"]),
            (2, &["普外科党小组", "骨科党小组"]),
        ],
    },
    UnitSpec {
        name: "市中医医院党委",
        office: "市中医医院党委办公室",
        kind: UnitType::Hospital,
        head: "院长、党委副书记",
        branches: &[
            "中医内科党支部",
            "针灸推拿科党支部",
            "医技药剂党支部",
            "行政后勤党支部",
            "离退休党支部",
        ],
        groups: &[(0, &["第一党小组", "第二党小组"])],
    },
    UnitSpec {
        name: "市妇幼保健院党委",
        office: "市妇幼保健院党委办公室",
        kind: UnitType::Hospital,
        head: "院长、党委副书记",
        branches: &[
            "妇产科党支部",
            "儿科党支部",
            "保健部党支部",
            "行政后勤党支部",
        ],
        groups: &[],
    },
    UnitSpec {
        name: "市疾病预防控制中心党委",
        office: "市疾控中心党委办公室",
        kind: UnitType::Cdc,
        head: "主任、党委副书记",
        branches: &[
            "传染病防制所党支部",
            "慢病防制所党支部",
            "检验检测党支部",
            "卫生监测党支部",
            "机关党支部",
        ],
        groups: &[(0, &["第一党小组", "第二党小组"])],
    },
    UnitSpec {
        name: "市中心血站党委",
        office: "市中心血站党委办公室",
        kind: UnitType::Station,
        head: "站长、党委副书记",
        branches: &["采供血业务党支部", "检验科党支部", "行政党支部"],
        groups: &[],
    },
    UnitSpec {
        name: "市精神卫生中心党委",
        office: "市精神卫生中心党委办公室",
        kind: UnitType::Hospital,
        head: "院长、党委副书记",
        branches: &[
            "临床第一党支部",
            "临床第二党支部",
            "医技党支部",
            "行政后勤党支部",
        ],
        groups: &[],
    },
    UnitSpec {
        name: "市急救中心党委",
        office: "市急救中心党委办公室",
        kind: UnitType::Station,
        head: "主任、党委副书记",
        branches: &[
            "调度指挥党支部",
            "院前急救第一党支部",
            "院前急救第二党支部",
            "行政后勤党支部",
        ],
        groups: &[],
    },
    UnitSpec {
        name: "市卫生健康监督所党委",
        office: "市卫生健康监督所党委办公室",
        kind: UnitType::Supervision,
        head: "所长、党委副书记",
        branches: &["医疗卫生监督党支部", "公共卫生监督党支部", "综合党支部"],
        groups: &[],
    },
    UnitSpec {
        name: "市第二人民医院党委",
        office: "市第二人民医院党委办公室",
        kind: UnitType::Hospital,
        head: "院长、党委副书记",
        branches: &[
            "内科党支部",
            "外科党支部",
            "医技党支部",
            "护理党支部",
            "行政后勤党支部",
            "离退休党支部",
        ],
        groups: &[(1, &["普外科党小组", "骨科党小组"])],
    },
    UnitSpec {
        name: "市肿瘤医院党委",
        office: "市肿瘤医院党委办公室",
        kind: UnitType::Hospital,
        head: "院长、党委副书记",
        branches: &[
            "肿瘤内科党支部",
            "肿瘤外科党支部",
            "放疗科党支部",
            "医技党支部",
            "行政后勤党支部",
        ],
        groups: &[],
    },
    UnitSpec {
        name: "市口腔医院党委",
        office: "市口腔医院党委办公室",
        kind: UnitType::Hospital,
        head: "院长、党委副书记",
        branches: &["口腔临床党支部", "医技护理党支部", "行政后勤党支部"],
        groups: &[],
    },
    UnitSpec {
        name: "市卫生健康委机关党委",
        office: "委机关党委办公室",
        kind: UnitType::Organ,
        head: "机关党委专职副书记",
        branches: &[
            "办公室党支部",
            "医政医管处党支部",
            "疾病预防控制处党支部",
            "组织人事处党支部",
            "规划财务处党支部",
            "离退休干部党支部",
        ],
        groups: &[],
    },
];

/// Team members of a unit: (title, portfolio).
pub fn team_of(kind: UnitType) -> &'static [(&'static str, &'static str)] {
    match kind {
        UnitType::Hospital => &[
            ("副院长", "分管医疗"),
            ("总会计师", "分管财务"),
            ("副院长", "分管后勤和基建"),
            ("副院长", "分管护理和医院感染管理"),
            ("副院长", "分管科研教学"),
        ],
        UnitType::Cdc => &[
            ("副主任", "分管传染病防控和卫生应急"),
            ("副主任", "分管检验检测"),
            ("副主任", "分管慢病防制和健康教育"),
            ("副主任", "分管财务和后勤"),
        ],
        UnitType::Station => &[
            ("副站长", "分管业务"),
            ("副站长", "分管质量管理"),
            ("副站长", "分管财务和后勤"),
            ("副站长", "分管信息化"),
        ],
        UnitType::Supervision => &[
            ("副所长", "分管医疗卫生监督"),
            ("副所长", "分管公共卫生监督"),
            ("副所长", "分管综合执法和财务"),
        ],
        UnitType::Organ => &[
            ("机关党委委员", "分管组织"),
            ("机关党委委员", "分管宣传"),
            ("机关党委委员", "分管群团和统战"),
        ],
    }
}

/// Staff of the unit's party office and departments (responsible persons of tasks).
pub fn staff_of(kind: UnitType) -> &'static [&'static str] {
    match kind {
        UnitType::Organ => &["机关党委办公室主任", "机关党委组织员"],
        UnitType::Hospital => &[
            "党委办公室主任",
            "组织人事科科长",
            "宣传科科长",
            "纪检监察室主任",
        ],
        _ => &["党委办公室主任", "人事科科长", "纪检监察室主任"],
    }
}

pub fn member_titles(kind: UnitType) -> &'static [&'static str] {
    match kind {
        UnitType::Hospital => &[
            "主任医师",
            "副主任医师",
            "主治医师",
            "主治医师",
            "住院医师",
            "主管护师",
            "护师",
            "主管技师",
            "药师",
            "会计师",
        ],
        UnitType::Cdc => &[
            "主任医师",
            "副主任医师",
            "主管医师",
            "医师",
            "主管技师",
            "检验师",
            "科员",
        ],
        UnitType::Station => &[
            "主治医师",
            "医师",
            "主管护师",
            "护师",
            "主管技师",
            "驾驶员",
            "科员",
        ],
        UnitType::Supervision => &["卫生监督员", "主任科员", "一级科员", "科员"],
        UnitType::Organ => &[
            "一级调研员",
            "四级调研员",
            "一级主任科员",
            "二级主任科员",
            "一级科员",
        ],
    }
}

/// The title of a branch's secretary, from the branch's name.
pub fn branch_secretary_title(branch: &str, kind: UnitType) -> &'static str {
    if branch.contains("离退休") {
        "退休干部"
    } else if branch.contains("护理") {
        "护士长"
    } else if kind == UnitType::Organ {
        "处长"
    } else if ["行政", "后勤", "机关", "综合", "办公室"]
        .iter()
        .any(|k| branch.contains(k))
    {
        "科长"
    } else {
        "科主任"
    }
}

/// The commission's own leaders: (title, position kind, portfolio, rank).
pub const ROOT_LEADERS: &[(&str, &str, Option<&str>, &str)] = &[
    ("委党委书记、主任", "secretary", None, "正局级"),
    ("委党委副书记", "deputy_secretary", None, "副局级"),
    ("副主任", "team_member", Some("分管医政医管"), "副局级"),
    (
        "副主任",
        "team_member",
        Some("分管疾病预防控制和卫生应急"),
        "副局级",
    ),
    (
        "副主任",
        "team_member",
        Some("分管规划财务和基层卫生"),
        "副局级",
    ),
    ("驻委纪检监察组组长", "discipline_member", None, "副局级"),
    ("委办公室主任", "", None, "正处级"),
    ("组织人事处处长", "", None, "正处级"),
];

pub const DEPARTMENTS: &[&str] = &[
    "党委办公室",
    "组织人事科",
    "宣传科",
    "纪检监察室",
    "医务科",
    "护理部",
    "财务科",
    "总务科",
];

/// A problem as inspection feedback or self-examination states it, with the measures
/// a committee would set against it.
pub struct ProblemSpec {
    pub title: &'static str,
    pub category: &'static str,
    pub description: &'static str,
    pub measures: &'static [&'static str],
}

/// Problems of a leadership team / committee (from the seeds' 存在问题 sections).
pub const COMMITTEE_PROBLEMS: &[ProblemSpec] = &[
    ProblemSpec {
        title: "理论学习不够深入系统",
        category: "思想建设",
        description: "党委理论学习中心组学习存在以读代学、学用脱节现象，对习近平新时代中国特色社会主义思想的系统学习、专题研讨不够深入，联系本单位改革发展实际不紧。",
        measures: &[
            "修订党委理论学习中心组学习制度，制定年度学习计划，明确专题、领学人和时间",
            "每季度至少开展1次专题研讨，班子成员撰写研讨发言材料",
            "建立学习督查通报机制，每半年检查1次各党支部学习情况",
        ],
    },
    ProblemSpec {
        title: "“第一议题”制度落实不到位",
        category: "政治建设",
        description: "党委会“第一议题”学习存在传达多、研究少的情况，学习后研究贯彻落实措施不具体，跟踪问效不够。",
        measures: &[
            "严格执行党委会“第一议题”制度，每次会议记录学习内容和贯彻措施",
            "建立“第一议题”学习贯彻落实台账，逐项跟踪落实",
            "每半年对“第一议题”落实情况开展自查并通报",
        ],
    },
    ProblemSpec {
        title: "压力传导存在“上热中温下冷”",
        category: "政治建设",
        description: "管党治党压力全面传导仍然不够，构建横向到边、纵向到底的责任落实体系不够，个别党支部和科室落实工作任务粗枝大叶、应付了事。",
        measures: &[
            "制定主体责任清单并逐级分解到科室和党支部，签订责任书",
            "建立“清单+提示+督导+问责”工作推进机制，每季度督导一次",
            "将党建责任落实情况纳入科室和党支部年度考核",
            "对落实不力的党支部书记进行约谈",
        ],
    },
    ProblemSpec {
        title: "民主集中制执行不够规范",
        category: "政治建设",
        description: "存在以院长办公会、专题会议代替党委会研究“三重一大”事项的情况，议事规则执行不严格。",
        measures: &[
            "修订党委会议事规则和“三重一大”决策制度实施办法",
            "编制“三重一大”事项清单，明确须提交党委会集体决策的事项",
            "每半年对决策事项开展自查并报上级党委",
        ],
    },
    ProblemSpec {
        title: "意识形态工作责任制落实不到位",
        category: "思想建设",
        description: "对意识形态工作专题研究不够，宣传阵地和网络平台管理存在薄弱环节，对苗头性、倾向性问题分析研判不及时。",
        measures: &[
            "每半年专题研究一次意识形态工作，形成分析研判报告",
            "全面排查宣传阵地和网络平台，落实“三审三校”把关责任",
            "开展意识形态工作专题培训",
        ],
    },
    ProblemSpec {
        title: "廉政风险点排查不全面",
        category: "党风廉政建设",
        description: "对药品耗材采购、基建项目、人员招聘等关键岗位和重要环节的廉政风险点排查不够全面，防控措施针对性不强。",
        measures: &[
            "组织各科室全面梳理廉政风险点，建立廉政风险防控台账",
            "对药品耗材采购等重点岗位制定专项防控措施",
            "开展廉政风险防控措施落实情况专项检查",
        ],
    },
    ProblemSpec {
        title: "干部队伍年龄结构不合理",
        category: "干部队伍建设",
        description: "中层干部年龄结构老化，没有形成梯次配备，年轻干部培养选拔力度不够，专业人才紧缺。",
        measures: &[
            "制定中层干部队伍建设三年规划",
            "建立优秀年轻干部人才库，实行导师制培养",
            "通过竞争上岗选拔一批优秀年轻干部充实中层岗位",
        ],
    },
    ProblemSpec {
        title: "医德医风问题专项整治不够彻底",
        category: "作风建设",
        description: "行风问题整治不够彻底，收受“红包”回扣等问题仍有发生，医德医风考评制度执行不严格。",
        measures: &[
            "深入开展医疗领域“红包”回扣问题专项整治",
            "落实医德医风考评制度，实行医德考评“一票否决”",
            "组织学习《医疗机构工作人员廉洁从业九项准则》并签订承诺书",
        ],
    },
    ProblemSpec {
        title: "落实中央八项规定精神不够严格",
        category: "作风建设",
        description: "公务接待、公务用车管理存在不规范情况，重要节日节点监督检查不到位。",
        measures: &[
            "修订公务接待和公务用车管理办法",
            "重要节日节点前开展廉洁提醒并组织监督检查",
            "每季度开展落实中央八项规定精神自查",
        ],
    },
    ProblemSpec {
        title: "班子成员“一岗双责”履行不到位",
        category: "政治建设",
        description: "个别班子成员对分管领域党风廉政建设重视不够，廉政谈话开展不经常，抓早抓小、防微杜渐不够。",
        measures: &[
            "细化班子成员“一岗双责”责任清单，逐人审定",
            "班子成员每半年对分管科室开展1次廉政谈话",
            "班子成员年底书面报告履行“一岗双责”情况",
        ],
    },
    ProblemSpec {
        title: "对干部八小时以外监督不够",
        category: "干部队伍建设",
        description: "对干部“八小时以外”的生活圈、社交圈了解掌握不够，日常监督方法不多、手段缺乏。",
        measures: &[
            "建立干部日常监督谈心谈话制度",
            "开展干部家访和家风教育活动",
            "畅通群众监督渠道，公开监督举报方式",
        ],
    },
    ProblemSpec {
        title: "调研成果转化运用不够",
        category: "作风建设",
        description: "调查研究存在“调而不研”现象，调研发现问题的整改和成果转化运用不够到位，没有形成工作闭环。",
        measures: &[
            "建立问题整改和成果转化运用“两个清单”",
            "班子成员每人牵头1个调研课题并形成调研报告",
            "对调研成果转化情况开展年底评估",
        ],
    },
    ProblemSpec {
        title: "主题教育成果运用不够充分",
        category: "思想建设",
        description: "主题教育查摆问题整改与业务工作融合不够，创造性开展活动的主动性不强，“后半篇文章”做得不深不细。",
        measures: &[
            "梳理主题教育整改事项，建立长效机制清单",
            "将整改成效纳入年度述职评议内容",
            "开展主题教育整改“回头看”",
        ],
    },
    ProblemSpec {
        title: "制度执行存在失之于宽问题",
        category: "制度建设",
        description: "部分规定缺乏可以量化的实施细则，标准不够具体，存在界限不明、失之于宽的问题。",
        measures: &[
            "全面清理现行党建制度，修订完善实施细则",
            "对制度执行情况每半年开展1次检查",
            "建立制度执行问题通报机制",
        ],
    },
    ProblemSpec {
        title: "绩效考核存在“宽松软”问题",
        category: "制度建设",
        description: "持续调度、追踪问效力度不大，考核结果运用不充分，排查纠错效果不足，没有形成问题整改提升长效机制。",
        measures: &[
            "修订党建工作考核细则，提高量化指标比重",
            "考核结果与评优评先、绩效分配挂钩",
            "对考核排名靠后的党支部书记进行约谈",
        ],
    },
    ProblemSpec {
        title: "选人用人“凡提四必”落实不到位",
        category: "干部队伍建设",
        description: "干部选拔任用中个人有关事项核查、纪检机关意见征求不够及时，个别干部任前档案审核不细。",
        measures: &[
            "严格执行“凡提四必”，建立任前核查记录",
            "规范干部人事档案专项审核",
            "对近三年选拔任用工作开展自查",
        ],
    },
    ProblemSpec {
        title: "监督执纪“四种形态”运用不够精准",
        category: "纪律建设",
        description: "运用第一种形态抓早抓小不够，谈话函询后跟踪回访不及时，对苗头性、倾向性问题提醒不经常。",
        measures: &[
            "建立谈话函询跟踪回访台账",
            "对苗头性、倾向性问题及时开展提醒谈话",
            "每季度分析研判监督执纪工作情况",
        ],
    },
    ProblemSpec {
        title: "党建与业务融合不够紧密",
        category: "组织建设",
        description: "重业务、轻党建的现象仍比较突出，党建工作与医院中心工作结合不紧，党支部参与科室重大事项决策的机制不健全。",
        measures: &[
            "建立党支部参与科室重大事项决策机制",
            "推行“双带头人”党支部书记培育工程",
            "开展党建与业务融合示范党支部创建",
        ],
    },
    ProblemSpec {
        title: "巡察整改跟踪问效不够",
        category: "纪律建设",
        description: "对以往巡察反馈问题整改“回头看”不够，个别问题整改后出现反弹，整改台账更新不及时。",
        measures: &[
            "建立巡察整改台账，实行挂账销号",
            "每季度对整改进展开展跟踪督办",
            "对整改不力的责任部门进行通报",
        ],
    },
    ProblemSpec {
        title: "落实党委书记第一责任人职责有差距",
        category: "政治建设",
        description: "作为党建工作第一责任人，真正投入党建工作的精力不够，抓压力传导、督导管控不到位。",
        measures: &[
            "书记每季度听取1次各党支部工作汇报",
            "书记带头讲党课并联系1个基层党支部",
            "年底向上级党委专题述职",
        ],
    },
];

/// Problems of a branch.
pub const BRANCH_PROBLEMS: &[ProblemSpec] = &[
    ProblemSpec {
        title: "“三会一课”记录不规范",
        category: "组织建设",
        description: "支部委员会、党员大会记录内容简单，缺少议题讨论和表决情况，党课记录不完整。",
        measures: &[
            "对照《中国共产党支部工作条例（试行）》规范“三会一课”记录",
            "组织委员每月检查会议记录并签字",
            "支部书记参加组织生活规范化培训",
        ],
    },
    ProblemSpec {
        title: "主题党日活动形式单一",
        category: "组织建设",
        description: "主题党日以集中学习文件为主，活动内容与业务工作结合不紧，党员参与积极性不高。",
        measures: &[
            "制定年度主题党日活动计划，结合义诊、志愿服务开展活动",
            "每次活动后收集党员意见并改进",
        ],
    },
    ProblemSpec {
        title: "组织生活会批评和自我批评辣味不足",
        category: "组织建设",
        description: "批评和自我批评避重就轻，相互批评“表扬多、批评少”，查摆问题不够具体。",
        measures: &[
            "会前开展谈心谈话，逐人征求意见",
            "支部书记带头开展批评和自我批评",
            "会后制定整改清单并公示",
        ],
    },
    ProblemSpec {
        title: "党员教育管理不够严格",
        category: "组织建设",
        description: "对流动性大的医务人员党员教育管理不到位，个别党员参加组织生活不经常。",
        measures: &[
            "建立党员参加组织生活情况登记制度",
            "对连续缺席组织生活的党员进行谈话提醒",
        ],
    },
    ProblemSpec {
        title: "发展党员程序不够规范",
        category: "组织建设",
        description: "入党积极分子培养考察记录不完整，个别发展对象政治审查材料不齐全。",
        measures: &[
            "对照发展党员工作细则逐项检查发展党员材料",
            "补齐培养考察记录和政治审查材料",
            "支部委员会集体研究发展对象",
        ],
    },
    ProblemSpec {
        title: "排查失联党员和“口袋党员”不彻底",
        category: "组织建设",
        description: "未将规培生中的党员及时纳入支部管理，存在“口袋党员”，失联党员排查不及时。",
        measures: &[
            "全面排查规培生、进修人员中的党员并转接组织关系",
            "建立流动党员联系台账",
        ],
    },
    ProblemSpec {
        title: "党费收缴不及时",
        category: "组织建设",
        description: "个别党员未按月交纳党费，党费基数核定未随工资调整及时更新。",
        measures: &["重新核定党员交纳党费基数", "每月公示党费交纳情况"],
    },
    ProblemSpec {
        title: "以业务学习代替党课教育",
        category: "思想建设",
        description: "党支部组织功能弱化，以传达文件代替组织生活，以业务学习代替党课教育。",
        measures: &[
            "制定年度党课计划，支部书记每年至少讲1次党课",
            "严格区分业务学习与政治理论学习",
        ],
    },
    ProblemSpec {
        title: "廉洁从业教育不经常",
        category: "党风廉政建设",
        description: "支部对《医疗机构工作人员廉洁从业九项准则》学习宣传不经常，警示教育覆盖不全。",
        measures: &[
            "每季度组织1次廉洁从业专题学习",
            "组织观看警示教育片并交流心得",
        ],
    },
    ProblemSpec {
        title: "支部书记“双带头人”作用发挥不充分",
        category: "组织建设",
        description: "支部书记抓党建精力投入不足，党建工作与科室业务“两张皮”。",
        measures: &[
            "支部书记每季度向支部党员大会报告党建工作",
            "将支部工作纳入科室绩效考核",
        ],
    },
];

pub const REPORT_BODIES: &[&str] = &[
    "已召开党委会专题研究部署，印发工作方案，明确责任分工和完成时限。",
    "已完成阶段性工作，形成会议纪要和工作台账。",
    "按计划推进中，已完成第一阶段任务，下一步将组织专项检查。",
    "已组织开展专题学习，班子成员交流研讨，形成学习记录。",
    "已逐级分解落实到各党支部和科室，建立任务台账。",
    "已完成自查，对发现的问题建立整改清单，正在逐项整改。",
    "已召开专题会议听取汇报，分析存在问题并研究改进措施。",
];

pub const SUBMIT_BODIES: &[&str] = &[
    "任务已按要求完成，附会议纪要等佐证材料，请审核。",
    "已全部完成，佐证材料已上传，请审核。",
    "工作已完成并形成工作总结，附佐证材料，请予审核。",
];

pub const RETURN_REASONS: &[&str] = &[
    "佐证材料不完整，请补充会议纪要和签到表。",
    "工作内容与任务要求不符，请补充具体措施和完成情况。",
    "未体现对下级党组织的督导情况，请补充后重新提交。",
];

pub const DECOMPOSE_NOTES: &[&str] = &[
    "请结合本单位实际制定具体措施，按季度报送进展。",
    "请于期限前上传佐证材料并提交审核。",
    "",
    "请党委书记亲自部署，班子成员按分工抓好落实。",
];

/// Tasks of a plan that branches carry too (decomposed further down).
pub const BRANCH_DUTIES: &[&str] = &[
    "督促落实“三会一课”和主题党日",
    "组织生活会和民主评议党员",
    "排查失联党员和“口袋党员”",
    "开展警示教育和廉洁文化建设",
    "落实中央八项规定精神自查",
];

/// Plan duties that stay with the commission (not decomposed).
pub const ROOT_ONLY_DUTIES: &[&str] = &["开展对直属单位的巡察", "直属单位党组织主体责任考核"];

// --- bulk generation vocabulary ---

pub const DISTRICTS: &[&str] = &[
    "和平区",
    "河东区",
    "河西区",
    "南开区",
    "河北区",
    "红桥区",
    "东丽区",
    "西青区",
    "津南区",
    "北辰区",
    "武清区",
    "宝坻区",
    "滨海新区",
    "宁河区",
    "静海区",
    "蓟州区",
    "高新区",
    "临港区",
    "东城区",
    "西城区",
    "南湖区",
    "北塘区",
    "青山县",
    "临江县",
    "云岭县",
    "松山县",
    "白河县",
    "清水县",
];

/// Institutions under a district: (name suffix, org kind).
pub const INSTITUTIONS: &[(&str, &str)] = &[
    ("人民医院党委", "committee"),
    ("中医医院党委", "committee"),
    ("妇幼保健院党委", "committee"),
    ("疾病预防控制中心党委", "committee"),
    ("第二人民医院党委", "committee"),
    ("卫生健康综合执法大队党总支", "general_branch"),
    ("精神卫生中心党总支", "general_branch"),
    ("急救站党总支", "general_branch"),
    ("中西医结合医院党委", "committee"),
    ("康复医院党总支", "general_branch"),
    ("传染病医院党委", "committee"),
    ("口腔医院党总支", "general_branch"),
];

pub const STREETS: &[&str] = &[
    "劝业场",
    "小白楼",
    "五大道",
    "新兴",
    "南营门",
    "南市",
    "大王庄",
    "唐家口",
    "向阳楼",
    "春华",
    "友谊路",
    "桃园",
    "挂甲寺",
    "马场",
    "越秀路",
    "长寿",
    "万兴",
    "学府",
    "向阳路",
    "嘉陵道",
    "王顶堤",
    "华苑",
    "体育中心",
    "鼓楼",
    "光复道",
    "望海楼",
    "铁东路",
    "建昌道",
    "江都路",
    "宁园",
    "西于庄",
    "丁字沽",
    "邵公庄",
    "芥园",
    "西站",
    "和苑",
    "铃铛阁",
    "新开河",
    "杨柳青",
    "中北",
    "李七庄",
    "精武",
    "大寺",
    "双港",
    "咸水沽",
    "双桥河",
    "果园新村",
    "佳荣里",
    "天穆",
    "瑞景",
    "青光",
    "宜兴埠",
    "杨村",
    "下朱庄",
    "东蒲洼",
    "黄庄",
    "运河西",
    "新城",
];

pub const TOWNS: &[&str] = &[
    "王庆坨",
    "大良",
    "梅厂",
    "崔黄口",
    "大碱厂",
    "河西务",
    "陈咀",
    "大口屯",
    "林亭口",
    "八门城",
    "大钟庄",
    "新开口",
    "口东",
    "史各庄",
    "牛家牌",
    "黄庄",
    "潘庄",
    "芦台",
    "丰台",
    "板桥",
    "东棘坨",
    "唐官屯",
    "陈官屯",
    "子牙",
    "独流",
    "良王庄",
    "杨成庄",
    "上仓",
    "下营",
    "官庄",
    "马伸桥",
    "邦均",
    "别山",
    "尤古庄",
    "东施古",
    "穿芳峪",
    "出头岭",
    "下仓",
    "白涧",
    "侯家营",
];

pub const BULK_BRANCHES: &[&str] = &[
    "内科第一党支部",
    "内科第二党支部",
    "外科第一党支部",
    "外科第二党支部",
    "医技党支部",
    "护理党支部",
    "药剂党支部",
    "急诊党支部",
    "儿科党支部",
    "妇产科党支部",
    "五官科党支部",
    "感染科党支部",
    "康复科党支部",
    "公共卫生党支部",
    "医保信息党支部",
    "行政党支部",
    "后勤党支部",
    "离退休党支部",
];

pub const GROUP_NAMES: &[&str] = &["第一党小组", "第二党小组", "第三党小组"];

/// Recurring branch duties: (title stem, content, cadence in months: 1 monthly, 3
/// quarterly, 12 yearly, and the plan duty it serves).
pub const BRANCH_SERIES: &[(&str, &str, u32, &str)] = &[
    (
        "主题党日",
        "按照《中国共产党支部工作条例（试行）》要求，每月开展1次主题党日活动，做好活动记录和党员签到。",
        1,
        "督促落实“三会一课”和主题党日",
    ),
    (
        "支部党员大会",
        "每季度召开1次支部党员大会，传达学习上级精神，讨论支部重要事项。",
        3,
        "督促落实“三会一课”和主题党日",
    ),
    (
        "讲党课",
        "支部书记每季度讲1次党课，或邀请班子成员、优秀党员讲党课，做好记录。",
        3,
        "督促落实“三会一课”和主题党日",
    ),
    (
        "支部委员会",
        "每月召开1次支部委员会，研究支部工作，落实上级部署。",
        1,
        "督促落实“三会一课”和主题党日",
    ),
    (
        "党小组会",
        "每月召开1次党小组会，组织党员学习，交流思想和工作情况。",
        1,
        "督促落实“三会一课”和主题党日",
    ),
    (
        "党费收缴",
        "按季度收缴党费并公示，核对交纳基数。",
        3,
        "督促落实“三会一课”和主题党日",
    ),
];

pub const PROBLEM_SOURCES_UNIT: &[(&str, &str)] = &[
    ("local_inspection", "巡察"),
    ("self_examination", "主题教育查摆"),
    ("democratic_life", "民主生活会"),
    ("research", "调研发现"),
    ("assessment", "主体责任考核"),
    ("audit", "经济责任审计"),
    ("supervision", "专项督查"),
];

pub const PROBLEM_SOURCES_BRANCH: &[(&str, &str)] = &[
    ("self_check", "支部自查"),
    ("democratic_life", "组织生活会"),
    ("supervision", "党建督查"),
    ("assessment", "支部考核"),
];
