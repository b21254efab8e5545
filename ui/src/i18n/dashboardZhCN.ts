// 简体中文: the dashboard (the same keys as dashboardEn.ts).
import type { dashboardEn } from './dashboardEn';

export const dashboardZhCN: typeof dashboardEn = {
  title: '仪表板',
  latestEvents: '最新事件',
  cards: {
    dataCenters: '数据中心',
    clusters: '集群',
    hosts: '主机',
    vms: '虚拟机',
    storage: '存储域',
    up: '运行中',
    other: '其他',
    maintenance: '维护',
    downOrProblem: '关闭 / 故障',
    running: '运行中',
    down: '已关闭',
    problem: '故障',
    dataDomains: '数据域，已用 / 容量',
  },
  dataCenters: '数据中心',
  storage: '存储',
  stats: {
    region: '系统统计',
    title: '所有主机（实时）',
    reporting: '{count} 台主机正在报告',
  },
  jobs: { region: '正在运行的作业', title: '正在运行的作业' },
};
