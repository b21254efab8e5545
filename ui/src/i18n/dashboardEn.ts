// English: the dashboard (the counts' cards, data centers and storage, the hosts' live charts,
// running jobs and the latest events).
export const dashboardEn = {
  title: 'Dashboard',
  latestEvents: 'Latest events',
  cards: {
    dataCenters: 'Data centers',
    clusters: 'Clusters',
    hosts: 'Hosts',
    vms: 'Virtual machines',
    storage: 'Storage domains',
    up: 'up',
    other: 'other',
    maintenance: 'maintenance',
    downOrProblem: 'down / problem',
    running: 'running',
    down: 'down',
    problem: 'problem',
    dataDomains: 'data domains, used / capacity',
  },
  dataCenters: 'Data centers',
  storage: 'Storage',
  stats: {
    region: 'System statistics',
    title: 'All hosts, live',
    reporting: '{count} host reporting | {count} hosts reporting',
  },
  jobs: { region: 'Running jobs', title: 'Running jobs' },
};
