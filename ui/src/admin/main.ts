import { createApp } from 'vue';
import urql from '@urql/vue';
import AdminApp from './AdminApp.vue';
import { router } from './router';
import { createVireoClient } from '../urql';
import { i18n } from '../i18n';
import '../styles.css';

createApp(AdminApp).use(router).use(urql, createVireoClient()).use(i18n).mount('#app');
