// 简体中文: the add dialogs of users, groups, roles and permissions (the same keys as accountsEn.ts).
import type { accountsEn } from './accountsEn';

export const accountsZhCN: typeof accountsEn = {
  cancel: '取消',
  working: '正在处理…',
  user: {
    title: '新建用户',
    userName: '用户名 *',
    password: '密码',
    passwordHint: '本地帐户：至少 8 个字符。目录用户留空。',
    fullName: '全名',
    email: '电子邮件',
    profile: '配置集',
    profileHint: '“internal”（默认）或目录配置集的名称',
    add: '添加用户',
  },
  group: {
    title: '新建组',
    name: '名称',
    profile: '配置集',
    profileHint: '本地组为“internal”（默认），否则为该组所在的目录配置集',
    add: '添加组',
  },
  role: {
    title: '新建角色',
    name: '名称 *',
    description: '描述',
    chosen: '已选 {count} 个操作组',
    add: '添加角色',
    area: {
      system: '系统',
      dataCenter: '数据中心',
      network: '网络',
      cluster: '集群',
      host: '主机',
      storage: '存储',
      disk: '磁盘',
      template: '模板',
      vm: '虚拟机',
    },
  },
  permission: {
    title: '在{where}上添加权限',
    principal: '用户或组',
    choose: '选择…',
    users: '用户',
    groups: '组',
    role: '角色',
    custom: '（自定义）',
    grant: '授予',
  },
};
