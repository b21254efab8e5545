import { watch } from 'vue';
import { createRouter, createWebHistory } from 'vue-router';
import { announce } from '../composables/announce';
import { liveState } from '../composables/liveConnection';
import DashboardPage from '../pages/DashboardPage.vue';

// List and detail pages load on demand; the dashboard is in the first bundle.
export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    { path: '/', component: DashboardPage, meta: { title: 'Dashboard' } },
    { path: '/data-centers', component: () => import('../pages/DataCenterListPage.vue'), meta: { title: 'Data centers' } },
    {
      path: '/data-centers/:id',
      component: () => import('../pages/DataCenterDetailPage.vue'),
      props: true,
      meta: { title: 'Data center' },
    },
    { path: '/clusters', component: () => import('../pages/ClusterListPage.vue'), meta: { title: 'Clusters' } },
    { path: '/clusters/:id', component: () => import('../pages/ClusterDetailPage.vue'), props: true, meta: { title: 'Cluster' } },
    { path: '/hosts', component: () => import('../pages/HostListPage.vue'), meta: { title: 'Hosts' } },
    { path: '/hosts/:id', component: () => import('../pages/HostDetailPage.vue'), props: true, meta: { title: 'Host' } },
    { path: '/vms', component: () => import('../pages/VmListPage.vue'), meta: { title: 'Virtual machines' } },
    { path: '/vms/:id', component: () => import('../pages/VmDetailPage.vue'), props: true, meta: { title: 'Virtual machine' } },
    { path: '/storage', component: () => import('../pages/StorageDomainListPage.vue'), meta: { title: 'Storage domains' } },
    {
      path: '/storage/:id',
      component: () => import('../pages/StorageDomainDetailPage.vue'),
      props: true,
      meta: { title: 'Storage domain' },
    },
    { path: '/disks', component: () => import('../pages/DiskListPage.vue'), meta: { title: 'Disks' } },
    { path: '/networks', component: () => import('../pages/NetworkListPage.vue'), meta: { title: 'Networks' } },
    { path: '/networks/:id', component: () => import('../pages/NetworkDetailPage.vue'), props: true, meta: { title: 'Network' } },
    { path: '/templates', component: () => import('../pages/TemplateListPage.vue'), meta: { title: 'Templates' } },
    { path: '/templates/:id', component: () => import('../pages/TemplateDetailPage.vue'), props: true, meta: { title: 'Template' } },
    { path: '/jobs', component: () => import('../pages/JobListPage.vue'), meta: { title: 'Jobs' } },
    { path: '/events', component: () => import('../pages/EventListPage.vue'), meta: { title: 'Events' } },
    { path: '/reports', component: () => import('../pages/ReportPage.vue'), meta: { title: 'Reports' } },
    { path: '/admin/users', component: () => import('../pages/UserListPage.vue'), meta: { title: 'Users' } },
    { path: '/admin/groups', component: () => import('../pages/GroupListPage.vue'), meta: { title: 'Groups' } },
    { path: '/tags', component: () => import('../pages/TagListPage.vue'), meta: { title: 'Tags' } },
    { path: '/admin/roles', component: () => import('../pages/RoleListPage.vue'), meta: { title: 'Roles' } },
    { path: '/admin/permissions', component: () => import('../pages/PermissionSystemPage.vue'), meta: { title: 'System permissions' } },
    { path: '/:rest(.*)*', component: () => import('../pages/NotFoundPage.vue'), meta: { title: 'Not found' } },
  ],
});

router.afterEach((to) => {
  document.title = `${String(to.meta.title ?? 'Vireo')} · Vireo`;
});

// While the engine is down a page's code may not load: the click is not lost, it is said so and
// retried when the live connection is back (a full load of the page if its code still fails).
let waiting: string | null = null;
router.onError((error, to) => {
  if (!/dynamically imported module|Importing a module script failed|Failed to fetch/i.test(String(error?.message ?? error))) return;
  waiting = to.fullPath;
  announce(
    `${String(to.meta.title ?? 'The page')} could not be opened: the engine cannot be reached. It opens when the connection is back.`,
    true,
  );
});
watch(liveState, async (state) => {
  if (state !== 'up' || !waiting) return;
  const path = waiting;
  waiting = null;
  try {
    await router.push(path);
    if (router.currentRoute.value.fullPath !== path) location.assign(path);
  } catch {
    location.assign(path);
  }
});

// Every page's code is fetched once the app is idle, so menu clicks work while the engine is down.
const prefetch = () => {
  for (const r of router.getRoutes()) {
    const c = r.components?.default;
    if (typeof c === 'function' && !('setup' in c) && !('render' in c)) void (c as () => Promise<unknown>)().catch(() => {});
  }
};
if ('requestIdleCallback' in window) requestIdleCallback(prefetch, { timeout: 5_000 });
else setTimeout(prefetch, 2_000);
