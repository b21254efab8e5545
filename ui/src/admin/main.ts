import { createApp } from 'vue';
import urql from '@urql/vue';
import AdminApp from './AdminApp.vue';
import { router } from './router';
import { createVireoClient } from '../urql';
import '../styles.css';

createApp(AdminApp).use(router).use(urql, createVireoClient()).mount('#app');
