import { createApp } from 'vue';
import urql from '@urql/vue';
import PortalApp from './PortalApp.vue';
import { createVireoClient } from '../urql';
import { i18n } from '../i18n';
import '../styles.css';

createApp(PortalApp).use(urql, createVireoClient()).use(i18n).mount('#app');
