import { createApp } from 'vue';
import urql from '@urql/vue';
import PortalApp from './PortalApp.vue';
import { createVireoClient } from '../urql';
import '../styles.css';

createApp(PortalApp).use(urql, createVireoClient()).mount('#app');
